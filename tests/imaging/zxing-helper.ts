import { readBarcodes, type ReadResult } from 'zxing-wasm/reader';
import sharp from 'sharp';
import { loadZXing } from '../support/zxing-wasm';

/**
 * Test oracle: ZXing-C++ (zxing-wasm) read directly, its wasm loaded from node_modules (never a
 * CDN, see TOOLCHAIN.md). Independent of the product's engines on purpose.
 */
export async function readRgba(px: { data: Buffer | Uint8Array; width: number; height: number }): Promise<ReadResult[]> {
  await loadZXing();
  const data = new Uint8ClampedArray(px.data.buffer, px.data.byteOffset, px.data.byteLength);
  return readBarcodes({ data, width: px.width, height: px.height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0], {
    tryHarder: true,
    maxNumberOfSymbols: 8,
  });
}

/** Decodes an encoded image (as an engine would receive it) and reads its codes. */
export async function readEncoded(bytes: Buffer): Promise<ReadResult[]> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return readRgba({ data, width: info.width, height: info.height });
}
