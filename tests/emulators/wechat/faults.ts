/**
 * Fault injection shared by the WeChat and OSS emulators: queue faults for the next requests
 * (`inject`), or let a seeded fraction of requests fail at random (reproducible run to run).
 * Each emulator decides what a fault looks like in its own protocol.
 */
import { seeded } from '../common/seeded';

// Re-exported: the WeChat test pages draw their noise from the same generator.
export { seeded };

export type Fault =
  | 'server-error' // WeChat: errcode -1 / OSS: 500 InternalError
  | 'http-5xx' // a bare 502 from a gateway in front of the service
  | 'timeout' // the request is held and never answered (until the client gives up)
  | 'reset' // the connection is dropped without an answer
  | 'rate-limit' // WeChat 45011 (minute limit) / OSS 503 SlowDown
  | 'token-expired' // WeChat only: 42001
  | 'quota'; // WeChat only: 101003 on cv/ocr/comm

export interface FaultOptions {
  /** Fraction of requests (0..1) that fail at random with one of `randomKinds`. */
  rate?: number;
  seed?: number;
  randomKinds?: Fault[];
}

export class FaultPlan {
  private readonly queue: Fault[] = [];
  private rate: number;
  private random: () => number;
  private kinds: Fault[];
  /** Every fault served, in order (tests assert on it). */
  readonly served: Fault[] = [];

  constructor(options: FaultOptions = {}, defaultKinds: Fault[]) {
    this.rate = options.rate ?? 0;
    this.random = seeded(options.seed ?? 1);
    this.kinds = options.randomKinds ?? defaultKinds;
  }

  inject(fault: Fault, count = 1): void {
    for (let i = 0; i < count; i++) this.queue.push(fault);
  }

  setRandom(options: FaultOptions): void {
    this.rate = options.rate ?? 0;
    if (options.seed !== undefined) this.random = seeded(options.seed);
    if (options.randomKinds) this.kinds = options.randomKinds;
  }

  /** The fault for this request, if any (queued ones first). */
  next(): Fault | null {
    let fault: Fault | null = this.queue.shift() ?? null;
    if (!fault && this.rate > 0 && this.random() < this.rate) {
      fault = this.kinds[Math.floor(this.random() * this.kinds.length)] ?? null;
    }
    if (fault) this.served.push(fault);
    return fault;
  }
}

/** A per-operation sliding one-second window: true when this request is over the limit. */
export class RateWindow {
  private readonly stamps = new Map<string, number[]>();
  constructor(private readonly perSecond: Record<string, number>) {}

  exceeded(op: string, now = Date.now()): boolean {
    const limit = this.perSecond[op];
    if (!limit) return false;
    const list = (this.stamps.get(op) ?? []).filter((t) => now - t < 1000);
    const over = list.length >= limit;
    if (!over) list.push(now);
    this.stamps.set(op, list);
    return over;
  }
}
