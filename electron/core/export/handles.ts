import { OneTimeHandles } from '../one-time-handles';
import type { ExportFormat } from './types';

/**
 * One-time handles for paths the native save dialog returned (desktop app). The renderer gets
 * the handle, never a path to hand back: export.run with a handle writes exactly the file the
 * user chose, once, in the format it was chosen for, within a few minutes.
 */
export class ExportHandles {
  private readonly handles: OneTimeHandles<ExportFormat>;

  constructor(ttlMs = 10 * 60_000, now: () => number = Date.now) {
    this.handles = new OneTimeHandles(ttlMs, now);
  }

  issue(path: string, format: ExportFormat): string {
    return this.handles.issue(path, format);
  }

  /** The path of a live handle for `format`; the handle is spent either way. */
  take(handle: string, format: ExportFormat): string {
    return this.handles.take(handle, format, {
      spent: 'This save location was already used or has expired: choose where to save again.',
      otherTag: (was) => `This save location was chosen for a ${was.toUpperCase()} file, not ${format.toUpperCase()}: choose where to save again.`,
    });
  }
}
