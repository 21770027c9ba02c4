import { randomBytes } from 'node:crypto';
import { createReadStream, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { makePrivateDir } from '../private-files';
import type { ExportFormat } from './types';

/**
 * Exports on their way to the browser (browser host): written to a private spool folder of the
 * profile, fetched once by their random id (the HTTP route sends them as an attachment), then
 * deleted. One not fetched within `ttlMs` is deleted too, and so is anything a crashed host left.
 */
export const DOWNLOAD_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface SpooledDownload {
  /** The file name the browser saves it as. */
  name: string;
  contentType: string;
  open(): Readable;
  /** Deletes the spooled file (after it was sent). */
  discard(): void;
}

export class DownloadSpool {
  private readonly waiting = new Map<string, { file: string; name: string; format: ExportFormat; timer: NodeJS.Timeout }>();

  constructor(
    readonly dir: string,
    private readonly ttlMs = 15 * 60_000,
  ) {
    makePrivateDir(dir);
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true, recursive: true });
  }

  /** A new id and the folder to write its file in (the file is named by the id: nothing else lives there). */
  reserve(): { id: string; folder: string; fileName: string } {
    const id = randomBytes(24).toString('base64url');
    return { id, folder: this.dir, fileName: id };
  }

  /** Makes a written file fetchable once under `id`, as `name`. */
  offer(id: string, file: string, name: string, format: ExportFormat): void {
    const timer = setTimeout(() => this.drop(id), this.ttlMs);
    timer.unref();
    this.waiting.set(id, { file, name, format, timer });
  }

  /** The download for `id`, once; null when unknown, fetched already or expired. */
  take(id: string): SpooledDownload | null {
    const entry = this.waiting.get(id);
    if (!entry) return null;
    clearTimeout(entry.timer);
    this.waiting.delete(id);
    return {
      name: entry.name,
      contentType: DOWNLOAD_TYPES[entry.format],
      open: () => createReadStream(entry.file),
      discard: () => rmSync(entry.file, { force: true }),
    };
  }

  /** Deletes everything not fetched yet (the host is closing). */
  close(): void {
    for (const id of [...this.waiting.keys()]) this.drop(id);
  }

  private drop(id: string): void {
    const entry = this.waiting.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.waiting.delete(id);
    rmSync(entry.file, { force: true });
  }
}

/** `Content-Disposition` for a download named `name` (RFC 6266: an ASCII fallback and the UTF-8 name). */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
