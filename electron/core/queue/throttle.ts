/**
 * At most one call per `intervalMs` per key, leading and trailing: the first change is shown at
 * once, a burst collapses into one trailing call, and `flush` sends the final state right away.
 * An `emit` that answers a promise (it reads the state to send first) counts its interval from
 * when it finished, so what is sent stays at least `intervalMs` apart.
 */
export class KeyedThrottle<K> {
  private last = new Map<K, number>();
  private timers = new Map<K, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (key: K) => unknown,
  ) {}

  schedule(key: K): void {
    if (this.timers.has(key)) return;
    const wait = (this.last.get(key) ?? -Infinity) + this.intervalMs - Date.now();
    if (wait <= 0) {
      this.fire(key);
      return;
    }
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.schedule(key); // due now, unless the last emit finished after this timer was set
      }, wait),
    );
  }

  /** Cancels any pending call and emits now. */
  flush(key: K): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.fire(key);
  }

  /** Drops pending calls (batch deleted, service closing). */
  cancel(key?: K): void {
    for (const [k, t] of this.timers) {
      if (key === undefined || k === key) {
        clearTimeout(t);
        this.timers.delete(k);
      }
    }
  }

  private fire(key: K): void {
    this.last.set(key, Date.now());
    const r = this.emit(key);
    if (r instanceof Promise) {
      const finished = () => void this.last.set(key, Date.now());
      r.then(finished, finished);
    }
  }
}
