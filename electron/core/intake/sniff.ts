import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import type { ImageFormat } from './types';

/** How many leading bytes sniffing needs (file-type's own sample size). */
export const SNIFF_BYTES = 4100;

export type Sniffed = { format: ImageFormat } | { format: null; description: string; image: boolean };

const MIME_TO_FORMAT: Record<string, ImageFormat> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/apng': 'png',
  'image/webp': 'webp',
  'image/tiff': 'tiff',
  'image/bmp': 'bmp',
  'image/gif': 'gif',
  'image/heic': 'heif',
  'image/heic-sequence': 'heif',
  'image/heif': 'heif',
  'image/heif-sequence': 'heif',
  'image/avif': 'avif',
  'application/pdf': 'pdf',
  'application/postscript': 'pdf', // file-type calls PDF-based Illustrator files "ai"; they are PDFs
};

/**
 * Identifies a file by its first bytes (magic numbers), never by its name. For everything that
 * is not ours, a short description for the "skipped" reason.
 */
export async function sniff(head: Uint8Array, path?: string, size = head.length): Promise<Sniffed> {
  // Some formats need more than the first bytes (a TIFF's first page directory may sit at the
  // end of the file; file-type then checks it is not a camera RAW): read the file itself.
  const ft = (await fileTypeFromBuffer(head)) ?? (path && size > head.length ? await fileTypeFromFile(path) : undefined);
  if (ft) {
    const format = MIME_TO_FORMAT[ft.mime];
    if (format && (ft.ext !== 'ai' || startsWith(head, '%PDF'))) return { format };
    const image = ft.mime.startsWith('image/');
    const description = image ? `an image in ${ft.ext.toUpperCase()} format (${ft.mime}), which is not supported` : `a .${ft.ext} file (${ft.mime})`;
    return { format: null, image, description };
  }
  return { format: null, image: false, description: describeUnknown(head) };
}

function startsWith(head: Uint8Array, ascii: string): boolean {
  return Buffer.from(head.subarray(0, ascii.length)).toString('latin1') === ascii;
}

/** file-type knows binary formats only; tell text apart so the reason is useful. */
function describeUnknown(head: Uint8Array): string {
  const text = Buffer.from(head).toString('utf8');
  const bad = [...text].filter((c) => c === '\uFFFD' || (c < ' ' && c !== '\n' && c !== '\r' && c !== '\t')).length;
  // Allow one broken multi-byte sequence at the cut-off point of the sample.
  if (bad <= 1 && !head.includes(0)) {
    const t = text.trimStart().slice(0, 200).toLowerCase();
    if (t.startsWith('<svg') || (t.startsWith('<?xml') && t.includes('<svg'))) return 'an SVG drawing (not supported)';
    if (t.startsWith('<!doctype html') || t.startsWith('<html')) return 'an HTML page';
    return 'plain text';
  }
  return 'unrecognised binary data';
}
