import sharp from 'sharp';
import type { ImageSource } from '../intake/types';
import type { SourceFile } from './source-file';
import type { Budget } from './types';

/**
 * The source file itself with every metadata chunk/segment removed, when it can be sent as it
 * is: a PNG or JPEG the engine accepts, page 1, no EXIF orientation to apply, no transparency
 * to flatten, no larger than the engine's longest side. Originals are never sent whole: EXIF
 * (GPS position, camera serial), XMP, IPTC, text chunks and comments must not reach a vendor.
 * Returns null when the file is not such a case (or its structure is not what we expect).
 * Pixel data is copied byte for byte: no generation loss, and usually far smaller than a
 * re-encode (the file's own encoder often compressed better than a quick re-encode can).
 * The caller still decodes the file (so corrupt or truncated data fails as before).
 */
export async function strippedOriginal(
  source: ImageSource,
  file: SourceFile,
  budget: Budget,
): Promise<{ data: Buffer; format: 'png' | 'jpeg' } | null> {
  const format = source.format;
  if ((format !== 'png' && format !== 'jpeg') || source.page !== 1 || !budget.formats.includes(format)) return null;
  let meta;
  try {
    meta = await sharp(file.bytes, { limitInputPixels: false }).metadata();
  } catch {
    return null; // the decode that follows reports the error
  }
  if ((meta.orientation ?? 1) !== 1 || !meta.width || !meta.height) return null;
  if (budget.maxSide !== undefined && Math.max(meta.width, meta.height) > budget.maxSide) return null;
  if ((meta.pages ?? 1) > 1) return null;
  // An alpha channel is fine when no pixel uses it (then nothing needs flattening on white).
  if (meta.hasAlpha && !(await fullyOpaque(file.bytes))) return null;
  const bytes = file.bytes;
  const data = format === 'png' ? stripPng(bytes, { opaque: meta.hasAlpha === true }) : stripJpeg(bytes);
  return data ? { data, format } : null;
}

async function fullyOpaque(bytes: Buffer): Promise<boolean> {
  try {
    const { channels } = await sharp(bytes, { limitInputPixels: false }).stats();
    return channels[channels.length - 1]!.min === 255;
  } catch {
    return false;
  }
}

/** Chunks a PNG needs to show its pixels; everything else (tEXt, eXIf, iCCP, tIME...) goes. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * PNG without ancillary chunks, or null when it is not a still PNG of 8 bits or less per
 * sample, or has transparency, unless the caller checked that no pixel is transparent (`opaque`).
 */
export function stripPng(b: Buffer, { opaque = false }: { opaque?: boolean } = {}): Buffer | null {
  if (b.length < 33 || !b.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  const parts: Buffer[] = [PNG_SIGNATURE];
  let p = 8;
  let ended = false;
  while (p + 12 <= b.length) {
    const len = b.readUInt32BE(p);
    const type = b.toString('latin1', p + 4, p + 8);
    if (p + 12 + len > b.length) return null;
    if (type === 'IHDR' && (b[p + 16]! > 8 || (!opaque && (b[p + 17] === 4 || b[p + 17] === 6)))) return null; // 16-bit, alpha
    if ((type === 'tRNS' && !opaque) || type === 'acTL') return null; // transparency to flatten; animation
    if (PNG_KEEP.has(type)) parts.push(b.subarray(p, p + 12 + len));
    p += 12 + len;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  return ended ? Buffer.concat(parts) : null;
}

/**
 * JPEG without APPn (EXIF, XMP, ICC, IPTC, MPF...) and COM segments, and without anything after
 * the end-of-image marker (phones append whole extra JPEGs there, with their own EXIF). JFIF
 * (APP0) and Adobe (APP14, which says how to read the colours) stay. Null for anything but
 * baseline or progressive Huffman JPEGs with 1 or 3 components (CMYK and arithmetic coding are
 * not for every reader), or when the structure does not parse.
 */
export function stripJpeg(b: Buffer): Buffer | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const parts: Buffer[] = [b.subarray(0, 2)];
  let p = 2;
  let frameOk = false;
  while (p + 2 <= b.length) {
    if (b[p] !== 0xff) return null;
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      parts.push(b.subarray(p, p + 2));
      return frameOk ? Buffer.concat(parts) : null;
    }
    if (p + 4 > b.length) return null;
    const len = b.readUInt16BE(p + 2);
    if (len < 2 || p + 2 + len > b.length) return null;
    const end = p + 2 + len;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker !== 0xc0 && marker !== 0xc1 && marker !== 0xc2) return null;
      const components = b[p + 9];
      if (components !== 1 && components !== 3) return null;
      frameOk = true;
    }
    const metadata = (marker >= 0xe1 && marker <= 0xef && marker !== 0xee) || marker === 0xfe;
    if (!metadata) parts.push(b.subarray(p, end));
    p = end;
    if (marker === 0xda) {
      if (!frameOk) return null;
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
      let q = p;
      while (q + 1 < b.length && !(b[q] === 0xff && b[q + 1] !== 0 && !(b[q + 1]! >= 0xd0 && b[q + 1]! <= 0xd7))) q++;
      if (q + 1 >= b.length) return null; // no end marker: truncated
      parts.push(b.subarray(p, q));
      p = q;
    }
  }
  return null;
}
