import type { Connection, PickResult, Picker } from './picker.ts';

const noop = (): void => {};

/** Each READY connection in turn (`Balancer: round_robin`). */
export class RoundRobinPicker implements Picker {
  private next = 0;

  pick(ready: readonly Connection[]): PickResult {
    const connection = ready[this.next % ready.length]!;
    this.next = (this.next + 1) % ready.length;
    return { connection, done: noop };
  }
}
