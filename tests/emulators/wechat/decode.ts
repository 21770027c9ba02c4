import sharp from 'sharp';
import { readBarcodes, type ReadResult, type ReaderOptions } from 'zxing-wasm/reader';
import { loadZXing } from '../../support/zxing-wasm';

/**
 * What the WeChat and OSS emulators "see": they really decode the bytes they were sent
 * (zxing-wasm loaded from node_modules; its default CDN fetch fails offline). Independent of
 * the product's local engine on purpose, as a real vendor is.
 */

/**
 * Loads the wasm and runs one decode, so the first real request is not slowed by start-up
 * (the emulators run in the test's process: a cold start would stall the client's timers).
 */
export async function warmUp(): Promise<void> {
  const blank = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).png().toBuffer();
  await decodeCodes(blank, {});
}

export interface Decoded {
  width: number;
  height: number;
  results: ReadResult[];
}

/** Encoded bytes → pixels (sharp) → every valid code zxing finds. Throws on undecodable bytes. */
export async function decodeCodes(bytes: Buffer, options: ReaderOptions): Promise<Decoded> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  await loadZXing();
  const image = {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    colorSpace: 'srgb',
  } as unknown as Parameters<typeof readBarcodes>[0];
  const results = await readBarcodes(image, { tryHarder: true, maxNumberOfSymbols: 16, ...options });
  return { width: info.width, height: info.height, results: results.filter((r) => r.isValid) };
}

/** The container format from magic bytes (what a vendor checks before decoding). */
export function sniffFormat(bytes: Buffer): 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'other' {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 4 && bytes.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  if (bytes.length >= 2 && bytes.toString('latin1', 0, 2) === 'BM') return 'bmp';
  return 'other';
}
