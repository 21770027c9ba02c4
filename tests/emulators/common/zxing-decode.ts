import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes, type ReadResult, type ReaderOptions } from 'zxing-wasm/reader';

/**
 * What an emulated vendor "sees": it really decodes the bytes it was sent (zxing-wasm, loaded
 * from node_modules: the default CDN fetch fails offline). Independent of the product's local
 * engine on purpose, like a real vendor is.
 */
const require = createRequire(import.meta.url);
let ready: Promise<unknown> | null = null;

function load(): Promise<unknown> {
  if (!ready) {
    const buf = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    const wasmBinary = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    ready = prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  }
  return ready;
}

export interface DecodedImage {
  width: number;
  height: number;
  results: ReadResult[];
}

/** Decodes encoded image bytes to pixels (sharp) and reads every code in them. Throws on bad bytes. */
export async function decodeImageCodes(bytes: Buffer, options: ReaderOptions): Promise<DecodedImage> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  await load();
  const imageData = {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    colorSpace: 'srgb',
  } as unknown as Extract<Parameters<typeof readBarcodes>[0], { width: number }>;
  const results = await readBarcodes(imageData, options);
  return { width: info.width, height: info.height, results: results.filter((r) => r.isValid) };
}

/** Image dimensions without decoding pixels. */
export async function imageSize(bytes: Buffer): Promise<{ width: number; height: number }> {
  const m = await sharp(bytes).metadata();
  return { width: m.width ?? 0, height: m.height ?? 0 };
}
