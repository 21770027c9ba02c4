import sharp from 'sharp';

/** Raw pixels without alpha: 1 channel (grey) or 3 (colour). */
export interface RawPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3;
}

const PNG = { compressionLevel: 6, adaptiveFiltering: true } as const;

/**
 * The smallest lossless PNG a few quick tries find: a colour image whose pixels are all grey
 * is written with one channel; an image of at most 256 distinct colours (codes, scans, renders)
 * as a palette of 1, 2, 4 or 8 bits per pixel, kept only when it reproduces every pixel exactly
 * (the quantiser is not guaranteed to keep colours it could merge). Every candidate decodes to
 * the same pixels; the smallest is returned.
 */
export async function encodeLosslessPng(raw: RawPixels): Promise<Buffer> {
  const img = raw.channels === 3 && isGrey(raw.data) ? toGrey(raw) : raw;
  const plain = await encode(img);
  const colours = countColours(img, img.channels === 1 ? 16 : 256);
  if (colours === null) return plain;
  const palette = await sharp(img.data, { raw: img })
    // No filtering for palette images (PNG's own advice: filters work on sample values, and
    // palette indices are not values); measured ~15% smaller on palette photos.
    .png({ ...PNG, adaptiveFiltering: false, palette: true, colours: Math.max(2, colours), dither: 0, effort: 7 })
    .toBuffer();
  if (palette.length >= plain.length || !(await samePixels(palette, img))) return plain;
  return palette;
}

function encode(img: RawPixels): Promise<Buffer> {
  return sharp(img.data, { raw: img }).png(PNG).toBuffer();
}

function isGrey(d: Buffer): boolean {
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

function toGrey(raw: RawPixels): RawPixels {
  const n = raw.width * raw.height;
  const data = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) data[i] = raw.data[i * 3]!;
  return { data, width: raw.width, height: raw.height, channels: 1 };
}

/** Distinct colours, or null as soon as there are more than `max`. */
function countColours(img: RawPixels, max: number): number | null {
  const seen = new Set<number>();
  const d = img.data;
  let last = -1;
  for (let i = 0; i < d.length; i += img.channels) {
    const c = img.channels === 1 ? d[i]! : (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
    if (c === last) continue; // runs of one colour are the common case on scans
    last = c;
    seen.add(c);
    if (seen.size > max) return null;
  }
  return seen.size;
}

async function samePixels(png: Buffer, img: RawPixels): Promise<boolean> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== img.width || info.height !== img.height) return false;
  const n = img.width * img.height;
  const ch = info.channels;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < img.channels; k++) if (data[i * ch + k] !== img.data[i * img.channels + k]) return false;
    // a grey source decoded as colour: the other channels must match too
    if (img.channels === 1 && ch === 3 && (data[i * 3 + 1] !== img.data[i] || data[i * 3 + 2] !== img.data[i])) return false;
  }
  return true;
}
