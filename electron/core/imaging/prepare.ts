import sharp, { type OutputInfo, type Sharp } from 'sharp';
import type { Geometry } from '../../../shared/geometry';
import { scaleGeometry } from '../../../shared/geometry';
import { ScanError } from '../errors';
import type { ImageSource } from '../intake/types';
import { decodeError, fileLabel } from './errors';
import { openOriented } from './oriented';
import { openSourceFile } from './source-file';
import { encodeLosslessPng } from './png-encode';
import { strippedOriginal } from './strip';
import type { Budget, PreparedImage } from './types';

type OutFormat = PreparedImage['format'];

/** Quality steps for lossy formats: a little lower quality costs codes less than fewer pixels. */
const QUALITIES = [92, 85, 75] as const;
/** Each resolution step keeps at least this much of the side (gradual), at most this much. */
const STEP_MIN = 0.5;
const STEP_MAX = 0.9;

/** Bytes as the engine counts them. */
export function countedBytes(length: number, countAs: Budget['countAs']): number {
  return countAs === 'base64' ? 4 * Math.ceil(length / 3) : length;
}

interface Raw {
  data: Buffer;
  width: number;
  height: number;
  /** 1 for grey pages (smaller files, same codes), 3 for colour; never alpha (flattened). */
  channels: 1 | 3;
}

function channelsOf(n: number): 1 | 3 {
  return n === 1 ? 1 : 3;
}

function rawImage(raw: Raw): Sharp {
  return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
}

/** Encodes a pipeline (JPEG keeps 4:2:0 chroma: codes live in luma, and files stay smaller). */
function encodeWith(img: Sharp, format: Exclude<OutFormat, 'bmp'>, quality: number): Promise<{ data: Buffer; info: OutputInfo }> {
  const out =
    format === 'png'
      ? img.png({ compressionLevel: 6, adaptiveFiltering: true })
      : format === 'jpeg'
        ? img.jpeg({ quality })
        : img.webp({ quality });
  return out.toBuffer({ resolveWithObject: true });
}

async function encode(raw: Raw, format: OutFormat, quality: number): Promise<Buffer> {
  if (format === 'bmp') return encodeBmp(raw);
  if (format === 'png') return encodeLosslessPng(raw);
  return (await encodeWith(rawImage(raw), format, quality)).data;
}

/** 24-bit BMP, bottom-up: sharp cannot write BMP and the format is trivial. */
function encodeBmp(raw: Raw): Buffer {
  const { width, height, data, channels } = raw;
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + rowBytes * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(rowBytes * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * channels;
      const g = channels === 1 ? 0 : 1;
      out[row + x * 3] = data[s + 2 * g]!;
      out[row + x * 3 + 1] = data[s + g]!;
      out[row + x * 3 + 2] = data[s]!;
    }
  }
  return out;
}

/** Typical JPEG/WebP size relative to quality 75 (measured on phone photos and scans). */
const RELATIVE_TO_75: Record<number, number> = { 92: 1.9, 85: 1.35, 75: 1 };

/** Bytes per pixel of a setting: measured at a larger size, or derived from quality 75's. */
function estimateBpp(measured: Map<string, number>, format: OutFormat, quality: number): number {
  const own = measured.get(`${format}:${quality}`);
  if (own !== undefined) return own;
  const at75 = measured.get(`${format}:75`);
  return at75 === undefined ? 0 : at75 * (RELATIVE_TO_75[quality] ?? 1);
}

async function resizeRaw(raw: Raw, longest: number): Promise<Raw> {
  const { data, info } = await rawImage(raw)
    .resize({ width: longest, height: longest, fit: 'inside', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: channelsOf(info.channels) };
}

function fmtBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

/**
 * Produces the image to send to an engine under its budget (bytes as it counts them, accepted
 * formats, longest side), and the scale back to page pixels.
 *
 * Strategy, to keep codes readable: PNG when the source is lossless (scans, PDF renders) and
 * PNG is accepted and fits; otherwise JPEG (or WebP) at quality 92 → 85 → 75 before any loss of
 * resolution; then the longest side steps down gradually (by 10-50% a step, estimated from the
 * overshoot) but never below `budget.minSide`. When even that does not fit: IMAGE_TOO_LARGE
 * saying why. EXIF/metadata is never copied into the prepared image.
 *
 * Bytes: PNG output is the smallest lossless encoding of a few (grey as one channel, a palette
 * when there are few colours). A PNG or JPEG the engine accepts that fits as it is, upright and
 * opaque, may go as its own pixel data with every metadata chunk removed (strip.ts), when that
 * is smaller than the re-encode: no generation loss, and never more bytes than needed.
 */
export async function prepare(source: ImageSource, budget: Budget): Promise<PreparedImage> {
  const label = fileLabel(source.path, source.page);
  const lossy: OutFormat | undefined = (['jpeg', 'webp'] as const).find((f) => budget.formats.includes(f));
  const pngOk = budget.formats.includes('png');
  const order: OutFormat[] = [];
  // Read once: decoded from these bytes, and their hash says what the result is of.
  const file = await openSourceFile(source, label);
  const page = await openOriented(source, file);
  if (page.lossless && pngOk) order.push('png');
  if (lossy) order.push(lossy);
  else if (pngOk && !order.includes('png')) order.push('png');
  if (!lossy && !pngOk && budget.formats.includes('bmp')) order.push('bmp');
  if (order.length === 0) {
    throw new ScanError('INTERNAL', `No image format we can produce is in the budget's formats (${budget.formats.join(', ')}).`);
  }

  const pageLongest = Math.max(page.width, page.height);
  let side = Math.min(pageLongest, budget.maxSide ?? pageLongest);
  const floor = Math.min(side, budget.minSide ?? 1);
  const resize = { width: side, height: side, fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' } as const;
  const qualitiesOf = (f: OutFormat): readonly number[] => (f === 'jpeg' || f === 'webp' ? QUALITIES : [100]);
  // The file's own pixel data without its metadata, when it can go as it is and fits.
  const stripped = await strippedOriginal(source, file, budget);
  const original = stripped && countedBytes(stripped.data.length, budget.countAs) <= budget.maxBytes ? stripped : null;
  const result = (data: Buffer, format: OutFormat, width: number, height: number, counted: number): PreparedImage => ({
    data,
    format,
    width,
    height,
    pageWidth: page.width,
    pageHeight: page.height,
    scale: width / page.width,
    countedBytes: counted,
    sourceSha256: file.sha256,
  });

  let last = { bytes: Infinity, format: order[0]!, quality: 0 };
  // Counted bytes per pixel measured for each format/quality: at a smaller size, a setting
  // that clearly will not fit is not encoded again (each encode of 12 MP costs ~100 ms).
  const bytesPerPixel = new Map<string, number>();
  const triedAtFull = new Set<string>();
  let skip85 = false;
  const measure = (format: OutFormat, quality: number, counted: number, pixels: number): void => {
    last = { bytes: counted, format, quality };
    bytesPerPixel.set(`${format}:${quality}`, counted / pixels);
    // 85 will not close a large gap (92 → 75 is about half the bytes): go straight to 75.
    if (quality === 92 && counted > budget.maxBytes * 1.6) skip85 = true;
  };

  // 1. The first setting straight from the source, in one pass (decode with shrink-on-load,
  //    resize, encode): as cheap as a plain resize+encode, and all most pages need.
  const f0 = order[0]!;
  const q0 = qualitiesOf(f0)[0]!;
  const fromOriginal = (o: NonNullable<typeof original>): PreparedImage =>
    result(o.data, o.format, page.width, page.height, countedBytes(o.data.length, budget.countAs));
  // PNG is encoded from raw pixels (step 2): choosing its smallest form needs them.
  if (f0 !== 'bmp' && f0 !== 'png') {
    let first;
    try {
      first = await encodeWith(page.image.clone().resize(resize), f0, q0);
    } catch (err) {
      throw decodeError(err, label);
    }
    const counted = countedBytes(first.data.length, budget.countAs);
    if (original && (counted > budget.maxBytes || original.data.length <= first.data.length)) return fromOriginal(original);
    if (counted <= budget.maxBytes) return result(first.data, f0, first.info.width, first.info.height, counted);
    measure(f0, q0, counted, first.info.width * first.info.height);
    triedAtFull.add(`${f0}:${q0}`);
  }

  // 2. Decode once to raw pixels; every further attempt encodes from them.
  let raw: Raw;
  try {
    const { data, info } = await page.image.clone().resize(resize).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    raw = { data, width: info.width, height: info.height, channels: channelsOf(info.channels) };
  } catch (err) {
    throw decodeError(err, label);
  }
  const full = raw;
  if (f0 === 'png') {
    const data = await encode(full, 'png', 100);
    const counted = countedBytes(data.length, budget.countAs);
    if (original && (counted > budget.maxBytes || original.data.length <= data.length)) return fromOriginal(original);
    if (counted <= budget.maxBytes) return result(data, 'png', full.width, full.height, counted);
    measure('png', 100, counted, full.width * full.height);
    triedAtFull.add('png:100');
  }

  for (;;) {
    for (const format of order) {
      // PNG is only worth trying at full resolution when a lossy format exists (below it,
      // JPEG at a larger size reads better).
      if (format === 'png' && lossy && raw !== full) continue;
      const qualities = qualitiesOf(format);
      for (const quality of qualities) {
        if (raw === full && triedAtFull.has(`${format}:${quality}`)) continue;
        if (quality === 85 && skip85) continue;
        const predicted = estimateBpp(bytesPerPixel, format, quality) * raw.width * raw.height;
        if (quality !== qualities[qualities.length - 1] && predicted > budget.maxBytes * 1.1) continue;
        const data = await encode(raw, format, quality);
        const counted = countedBytes(data.length, budget.countAs);
        if (counted <= budget.maxBytes) return result(data, format, raw.width, raw.height, counted);
        measure(format, quality, counted, raw.width * raw.height);
      }
    }
    if (side <= floor) break;
    const step = Math.min(STEP_MAX, Math.max(STEP_MIN, Math.sqrt(budget.maxBytes / last.bytes) * 0.95));
    side = Math.max(floor, Math.floor(side * step));
    raw = await resizeRaw(full, side);
  }
  const q = last.format === 'jpeg' || last.format === 'webp' ? ` at quality ${last.quality}` : '';
  throw new ScanError(
    'IMAGE_TOO_LARGE',
    `${label}: cannot fit under this engine's limit of ${fmtBytes(budget.maxBytes)} (${budget.countAs === 'base64' ? 'as base64' : 'file size'}): ` +
      `even at ${raw.width}x${raw.height}, the smallest size at which codes stay readable (longest side ${floor} px), it is ` +
      `${fmtBytes(last.bytes)} as ${last.format.toUpperCase()}${q}. The page (${page.width}x${page.height}) is too detailed for this engine; use another engine or crop the page.`,
  );
}

/** Maps a position found on the prepared image back to page pixels. */
export function toPageGeometry(g: Geometry, prepared: Pick<PreparedImage, 'scale'>): Geometry {
  return scaleGeometry(g, 1 / prepared.scale);
}
