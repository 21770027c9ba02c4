import { decode } from 'bmp-ts';
import { ScanError } from '../errors';
import { decodeError } from './errors';
import { assertDimensions } from './limits';
import type { OrientedPixels } from './load';

/** Width and height from a BMP header (BITMAPCOREHEADER or any BITMAPINFOHEADER version). */
export function bmpDimensions(header: Buffer, label: string): { width: number; height: number } {
  if (header.length < 26 || header.toString('latin1', 0, 2) !== 'BM') {
    throw new ScanError('IMAGE_DECODE', `${label}: not a valid BMP header.`);
  }
  const dibSize = header.readUInt32LE(14);
  if (dibSize === 12) return { width: header.readUInt16LE(18), height: header.readUInt16LE(20) };
  return { width: Math.abs(header.readInt32LE(18)), height: Math.abs(header.readInt32LE(22)) };
}

/**
 * sharp (libvips) cannot read BMP; bmp-ts can (1-32 bit, RLE, bit fields). BMP has no
 * orientation tag, so its pixels are already as a person sees them.
 */
export function loadBmp(buf: Buffer, label: string): OrientedPixels {
  const { width, height } = bmpDimensions(buf, label);
  assertDimensions(width, height, label);
  let img;
  try {
    img = decode(buf, { toRGBA: true });
  } catch (err) {
    throw decodeError(err, label);
  }
  const data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  if (data.length < width * height * 4) {
    throw new ScanError('IMAGE_DECODE', `${label}: the BMP is truncated (${data.length} of ${width * height * 4} bytes of pixels).`);
  }
  // bmp-ts leaves alpha at 0 where the file has none (<= 24 bit, or 32 bit with an unused
  // fourth byte): make those pixels opaque, or every engine would see a blank page.
  let anyAlpha = false;
  if (img.bitPP === 32) for (let i = 3; i < data.length && !anyAlpha; i += 4) anyAlpha = data[i] !== 0;
  if (!anyAlpha) for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { data: data.subarray(0, width * height * 4), width, height };
}
