import { performance } from 'node:perf_hooks';

/** One pending deadline of a {@link DeadlineQueue}. */
export interface Deadline {
  /** `performance.now()` value at which it expires. */
  readonly at: number;
  /** Called once when the deadline passes; cleared by `cancel`. */
  onExpire: (() => void) | undefined;
  next: Deadline | undefined;
}

/**
 * Deadlines of one fixed duration, served by a single timer. Every deadline is `ms` after it was
 * added, so they expire in the order they were added: a FIFO list, with the timer armed for the
 * oldest one still pending. Per request that is a small object instead of a `setTimeout`: Node
 * creates an async resource for every timer (an async-hooks init and an AsyncLocalStorage copy
 * while tracing is on) and `clearTimeout` unlinks it again, for a timer that almost never fires.
 *
 * The timer is unref'd: it only ever answers requests whose open sockets keep the process alive.
 */
export class DeadlineQueue {
  private head: Deadline | undefined;
  private tail: Deadline | undefined;
  private timer: NodeJS.Timeout | undefined;
  private firing = false;

  constructor(readonly ms: number) {}

  /** Calls `onExpire` once `ms` have passed, unless cancelled first. */
  add(onExpire: () => void): Deadline {
    const deadline: Deadline = { at: performance.now() + this.ms, onExpire, next: undefined };
    if (this.tail === undefined) this.head = deadline;
    else this.tail.next = deadline;
    this.tail = deadline;
    if (this.timer === undefined && !this.firing) this.arm(this.ms);
    return deadline;
  }

  /** Forgets `deadline` (done in time). Safe after it expired. */
  cancel(deadline: Deadline): void {
    deadline.onExpire = undefined;
    this.dropSettled();
  }

  /** How many deadlines are still linked (pending, or cancelled behind a pending one). */
  get size(): number {
    let n = 0;
    for (let d = this.head; d !== undefined; d = d.next) n++;
    return n;
  }

  private arm(delay: number): void {
    this.timer = setTimeout(this.fire, delay);
    this.timer.unref();
  }

  /** Unlinks cancelled or expired deadlines at the front, so in-order completions keep the list short. */
  private dropSettled(): void {
    let head = this.head;
    while (head !== undefined && head.onExpire === undefined) head = head.next;
    this.head = head;
    if (head === undefined) this.tail = undefined;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.firing = true;
    const now = performance.now();
    let head = this.head;
    while (head !== undefined && (head.onExpire === undefined || head.at <= now)) {
      const onExpire = head.onExpire;
      head.onExpire = undefined;
      this.head = head = head.next;
      if (head === undefined) this.tail = undefined;
      try {
        onExpire?.();
      } catch (err) {
        // Surface it as a throwing timer callback would, without leaving the queue stuck mid-fire.
        queueMicrotask(() => {
          throw err;
        });
      }
      head = this.head; // onExpire may have added or cancelled deadlines
    }
    this.firing = false;
    // Node's timer clock has millisecond steps: never re-arm for less than 1 ms.
    if (this.head !== undefined) this.arm(Math.max(1, Math.ceil(this.head.at - now)));
  };
}
