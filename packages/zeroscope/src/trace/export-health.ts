/** Where the agent's few log lines go; replaceable in tests. */
export type AgentLog = (level: 'warn' | 'info', message: string) => void;

/** Default log: one line on stderr, prefixed so it is easy to find among service logs. */
export const consoleLog: AgentLog = (level, message) => {
  (level === 'warn' ? console.warn : console.info)(`[zeroscope/trace] ${message}`);
};

/**
 * Tracks whether exporting works and logs ONE warning when an outage starts and one line when it
 * ends, however many batches fail in between, so a dead collector cannot flood the service's logs.
 * Exports carry a sequence number: a late failure of an export started before the last success
 * (one that hung across the recovery) does not open a new outage.
 */
export class ExportHealth {
  private down = false;
  private dropped = 0;
  private lastSuccessSeq = 0;

  constructor(
    private readonly target: string,
    private readonly log: AgentLog = consoleLog,
  ) {}

  /** True while exports are failing. */
  get failing(): boolean {
    return this.down;
  }

  /** Records a failed export of `spans` spans (started as export number `seq`), or any error the SDK reports. */
  failed(error: unknown, spans = 0, seq = Number.POSITIVE_INFINITY): void {
    if (seq < this.lastSuccessSeq) return;
    this.dropped += spans;
    if (this.down) return;
    this.down = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.log('warn', `exporting spans to ${this.target} failed: ${reason || 'unknown error'}; spans are dropped until it recovers (no further warnings meanwhile)`);
  }

  /** Records a successful export (number `seq`); ends an outage. */
  succeeded(seq = 0): void {
    if (seq > this.lastSuccessSeq) this.lastSuccessSeq = seq;
    if (!this.down) return;
    this.down = false;
    this.log('info', `exporting spans to ${this.target} works again (${this.dropped} spans lost meanwhile)`);
    this.dropped = 0;
  }
}
