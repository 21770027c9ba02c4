import { basename } from 'node:path';
import { ScanError } from '../errors';

/** A short, recognisable name for messages (the full path may be long or private). */
export function fileLabel(path: string, page = 1, pageCount = 1): string {
  const name = basename(path);
  return pageCount > 1 || page > 1 ? `${name} (page ${page})` : name;
}

/**
 * Turns a decoder's failure (sharp/libvips, libheif, bmp-ts) into a ScanError with a code the
 * user can act on. ScanErrors pass through unchanged.
 */
export function decodeError(err: unknown, label: string): ScanError {
  if (err instanceof ScanError) return err;
  const e = err as NodeJS.ErrnoException;
  const message = e instanceof Error ? e.message : String(err);
  if (e?.code === 'ENOENT' || /Input file is missing/i.test(message)) {
    return new ScanError('FILE_NOT_FOUND', `${label}: the file no longer exists.`, { cause: err });
  }
  if (e?.code === 'EACCES' || e?.code === 'EPERM') {
    return new ScanError('FILE_UNREADABLE', `${label}: permission denied.`, { cause: err });
  }
  if (/exceeds pixel limit/i.test(message)) {
    return new ScanError('IMAGE_TOO_LARGE', `${label}: the image is larger than the decoding limit.`, { cause: err });
  }
  if (/unsupported image format/i.test(message)) {
    return new ScanError('UNSUPPORTED_FORMAT', `${label}: the bytes are not an image format we can read.`, { cause: err });
  }
  const detail = message.split('\n')[0]!.trim().slice(0, 200);
  return new ScanError('IMAGE_DECODE', `${label}: the image is corrupt or truncated and cannot be decoded (${detail}).`, {
    cause: err,
  });
}
