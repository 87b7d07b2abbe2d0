/**
 * The memory the receivers' request bodies may hold together, from the first byte read until the
 * push that decoded them has been stored. One body is at most 20 MiB, but nothing bounded how many
 * were held at once: 300 concurrent 18 MiB OTLP/HTTP pushes took the backend to 9.5 GB of RSS, and
 * a laptop would swap or kill it. Past the budget a request is refused with 503 + Retry-After
 * (gRPC UNAVAILABLE + RetryInfo), which OTLP exporters retry: before its body is read when it
 * declares its length, else as soon as it grows past it. A request the receivers hold alone is
 * always let in, so the largest legal body is never refused for ever.
 */
import { ReceiversBusyError } from './errors.ts';

/** Default budget: 128 MiB of bodies, six of the largest (the decoded requests they become weigh ~2–4× that again). */
export const DEFAULT_BODY_BUDGET_BYTES = 128 * 1024 * 1024;

export class BodyBudget {
  private heldBytes = 0;

  constructor(readonly maxBytes = DEFAULT_BODY_BUDGET_BYTES) {}

  /** Bytes held by open reservations, for tests and reports. */
  held(): number {
    return this.heldBytes;
  }

  /** A reservation for one request's body; release it once the request is answered. */
  open(): BodyReservation {
    return new BodyReservation(this);
  }

  /** Takes `more` bytes for a request already holding `own`; false when the budget cannot. */
  take(more: number, own: number): boolean {
    const others = this.heldBytes - own;
    if (others > 0 && this.heldBytes + more > this.maxBytes) return false;
    this.heldBytes += more;
    return true;
  }

  give(bytes: number): void {
    this.heldBytes -= bytes;
  }
}

/** What one request holds of a {@link BodyBudget}. */
export class BodyReservation {
  private bytes = 0;

  constructor(private readonly budget: BodyBudget) {}

  /** Holds `total` bytes for the request (a reservation only grows), or throws ReceiversBusyError. */
  grow(total: number): void {
    if (total <= this.bytes) return;
    if (!this.budget.take(total - this.bytes, this.bytes)) throw new ReceiversBusyError(this.budget.maxBytes);
    this.bytes = total;
  }

  /** Gives everything back; safe to call more than once. */
  release(): void {
    this.budget.give(this.bytes);
    this.bytes = 0;
  }
}
