import { randomBytes } from 'node:crypto';
import { ScanError } from '../errors';
import type { ExportFormat } from './types';

/**
 * One-time handles for paths the native save dialog returned (desktop app). The renderer gets
 * the handle, never a path to hand back: export.run with a handle writes exactly the file the
 * user chose, once, in the format it was chosen for, within a few minutes.
 */
export class ExportHandles {
  private readonly issued = new Map<string, { path: string; format: ExportFormat; expires: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(path: string, format: ExportFormat): string {
    this.sweep();
    const handle = randomBytes(24).toString('base64url');
    this.issued.set(handle, { path, format, expires: this.now() + this.ttlMs });
    return handle;
  }

  /** The path of a live handle for `format`; the handle is spent either way. */
  take(handle: string, format: ExportFormat): string {
    this.sweep();
    const entry = this.issued.get(handle);
    this.issued.delete(handle);
    if (!entry) throw new ScanError('INVALID_INPUT', 'This save location was already used or has expired: choose where to save again.');
    if (entry.format !== format) {
      throw new ScanError('INVALID_INPUT', `This save location was chosen for a ${entry.format.toUpperCase()} file, not ${format.toUpperCase()}: choose where to save again.`);
    }
    return entry.path;
  }

  private sweep(): void {
    const t = this.now();
    for (const [h, e] of this.issued) if (e.expires <= t) this.issued.delete(h);
  }
}
