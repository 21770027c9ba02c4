import type { Engine, RecognizeRequest, RecognizeResult } from '../../../electron/core/engines/engine';
import { ScanError } from '../../../electron/core/errors';

/**
 * Engines that wrap a real engine and change one thing about it, to drive the runner's error
 * handling with real decodes around the failures.
 */
export class CountingEngine implements Engine {
  calls = 0;
  readonly paths: string[] = [];
  constructor(private readonly inner: Engine) {}
  get id() {
    return this.inner.id;
  }
  get tasks() {
    return this.inner.tasks;
  }
  get concurrency() {
    return this.inner.concurrency;
  }
  async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    this.calls++;
    this.paths.push(req.source.path);
    return this.inner.recognize(req);
  }
}

/** Fails its first `failures` calls with `error` (then decodes for real). */
export class FailingFirstEngine extends CountingEngine {
  constructor(
    inner: Engine,
    private failures: number,
    private readonly makeError: () => Error,
  ) {
    super(inner);
  }
  override async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    if (this.failures > 0) {
      this.failures--;
      this.calls++;
      this.paths.push(req.source.path);
      throw this.makeError();
    }
    return super.recognize(req);
  }
}

/** Fails every call for the files whose path matches `pattern`. */
export class FailingForEngine extends CountingEngine {
  constructor(
    inner: Engine,
    private readonly pattern: RegExp,
    private readonly makeError: () => Error,
  ) {
    super(inner);
  }
  override async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    if (this.pattern.test(req.source.path)) {
      this.calls++;
      throw this.makeError();
    }
    return super.recognize(req);
  }
}

/** Holds every call until `release()`: lets a test act while decodes are in flight. */
export class GatedEngine extends CountingEngine {
  /** Calls that reached the engine (some may still be held at the gate). */
  started = 0;
  private gate: Promise<void>;
  private open!: () => void;
  constructor(inner: Engine) {
    super(inner);
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open();
  }
  override async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    this.started++;
    await this.gate;
    return super.recognize(req);
  }
}

/** The same engine under another id (e.g. as the fallback of a plan), decoding for real. */
export class RenamedEngine extends CountingEngine {
  constructor(
    inner: Engine,
    private readonly as: Engine['id'],
  ) {
    super(inner);
  }
  override get id() {
    return this.as;
  }
  override async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    const r = await super.recognize(req);
    return { ...r, detections: r.detections.map((d) => ({ ...d, engine: this.as })) };
  }
}

export const VENDOR_AUTH_MESSAGE = 'The vendor refused the credentials (check SecretId).';

/**
 * A "vendor": `inner` under the id tencent, decoding for real until `refuse` is set; then every
 * call throws VENDOR_AUTH, a stop-engine error. One call at a time, so pages reach it in the
 * order they were queued.
 */
export class RefusableVendor extends CountingEngine {
  refuse = false;
  /** Resolves at the first refusal. */
  readonly refused: Promise<void>;
  private markRefused!: () => void;
  constructor(inner: Engine) {
    super(new RenamedEngine(inner, 'tencent'));
    this.refused = new Promise((r) => (this.markRefused = r));
  }
  override get concurrency() {
    return 1;
  }
  override async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    if (this.refuse) {
      this.calls++;
      this.paths.push(req.source.path);
      this.markRefused();
      throw new ScanError('VENDOR_AUTH', VENDOR_AUTH_MESSAGE);
    }
    return super.recognize(req);
  }
}

export const vendorServerError = () => new ScanError('VENDOR_SERVER', 'The vendor answered 503 Service Unavailable.');
