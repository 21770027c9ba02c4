import { fitName } from './file-names';

/**
 * Files a browser sends to the browser host (dropped, or chosen with the file picker): a browser
 * never gives a file's path, so the host keeps a copy in its profile and the batch reads that
 * copy like any path. These bounds are the host's and the UI's alike.
 */
export const UPLOAD_LIMITS = {
  /** One file at most this large (the largest scan or PDF an office sends is far smaller). */
  maxFileBytes: 512 * 1024 * 1024,
  /** As many files as a batch may name paths. */
  maxFiles: 10_000,
  maxNameChars: 255,
  /**
   * The most UTF-8 bytes a stored name keeps (file systems take 255; room is left for " (99)"
   * and the ".partial" of the file being received). A longer name is cut, its extension kept.
   */
  maxNameBytes: 240,
  maxDepth: 32,
} as const;

/** An upload session: random, URL-safe, names the folder its files land in. */
export const UPLOAD_SESSION = /^[A-Za-z0-9_-]{8,64}$/;

/** The host's upload address for one file: /upload/<session>/<relative path, each part encoded>. */
export function uploadUrl(session: string, relativePath: string): string {
  return `/upload/${session}/${relativePath.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The parts of a relative path as they may be written under an upload folder, or null when it
 * cannot be (empty, `.`/`..`, NUL or control characters, too deep or too long). Characters that
 * Windows refuses in names become `_`; a name longer than UPLOAD_LIMITS.maxNameBytes is cut.
 */
export function safeUploadParts(relativePath: string): string[] | null {
  const parts = relativePath.split(/[\\/]/).filter((p) => p !== '');
  if (parts.length === 0 || parts.length > UPLOAD_LIMITS.maxDepth) return null;
  const out: string[] = [];
  for (const p of parts) {
    // eslint-disable-next-line no-control-regex
    if (p === '.' || p === '..' || /[\u0000-\u001f\u007f]/.test(p) || p.length > UPLOAD_LIMITS.maxNameChars) return null;
    const safe = p.replace(/[<>:"|?*]/g, '_').replace(/[. ]+$/, '_');
    out.push(fitName(safe, UPLOAD_LIMITS.maxNameBytes));
  }
  return out;
}
