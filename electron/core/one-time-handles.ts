import { randomBytes } from 'node:crypto';
import { ScanError } from './errors';

/**
 * Paths a native dialog returned, kept in the main process behind random one-time handles: the
 * renderer gets the handle, never a path it could hand back. A handle is spent by its first use
 * (or after `ttlMs`), and only for the tag it was issued with (an export format, a folder's
 * purpose). Used by exports (export/handles.ts) and chosen folders (api/folder-handles.ts).
 */
export class OneTimeHandles<Tag extends string> {
  private readonly issued = new Map<string, { path: string; tag: Tag; expires: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(path: string, tag: Tag): string {
    this.sweep();
    const handle = randomBytes(24).toString('base64url');
    this.issued.set(handle, { path, tag, expires: this.now() + this.ttlMs });
    return handle;
  }

  /**
   * The path of a live handle for `tag`; the handle is spent either way. Refusals are
   * INVALID_INPUT with the caller's words: `spent` for an unknown, used or expired handle,
   * `otherTag(t)` for one issued for another tag.
   */
  take(handle: string, tag: Tag, words: { spent: string; otherTag: (issuedFor: Tag) => string }): string {
    this.sweep();
    const entry = this.issued.get(handle);
    this.issued.delete(handle);
    if (!entry) throw new ScanError('INVALID_INPUT', words.spent);
    if (entry.tag !== tag) throw new ScanError('INVALID_INPUT', words.otherTag(entry.tag));
    return entry.path;
  }

  private sweep(): void {
    const t = this.now();
    for (const [h, e] of this.issued) if (e.expires <= t) this.issued.delete(h);
  }
}
