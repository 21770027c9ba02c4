import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  prepareZXingModule,
  readBarcodes,
  type ReaderOptions,
  type ReadResult,
} from 'zxing-wasm/reader';

/**
 * ZXing-C++ (zxing-wasm reader build), loaded from node_modules. By default zxing-wasm fetches
 * its .wasm from a CDN, which fails offline and would leak that we are scanning: we always hand
 * it the binary ourselves.
 */
// Not named `require`: electron-vite adds its own module-level `require` to ESM chunks that
// call require(), and two declarations in one chunk fail to load ("already been declared").
const nodeRequire = createRequire(import.meta.url);

let ready: Promise<unknown> | null = null;

export function zxingWasmPath(): string {
  return nodeRequire.resolve('zxing-wasm/reader/zxing_reader.wasm');
}

export function loadZXing(wasmPath: string = zxingWasmPath()): Promise<unknown> {
  if (!ready) {
    const buf = readFileSync(wasmPath);
    const wasmBinary = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    ready = prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  }
  return ready;
}

export interface Gray {
  data: Uint8Array; // one byte per pixel
  width: number;
  height: number;
}

type ZXingInput = Parameters<typeof readBarcodes>[0];

/** zxing-wasm reads RGBA ImageData only; expand a gray plane (cheap next to decoding). */
function grayToImageData(g: Gray): ZXingInput {
  const rgba = new Uint8ClampedArray(g.width * g.height * 4);
  for (let i = 0, j = 0; i < g.data.length; i++, j += 4) {
    const v = g.data[i]!;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  // The DOM's ImageData shape (this code runs in Node, where the type is not declared).
  return { data: rgba, width: g.width, height: g.height, colorSpace: 'srgb' } as unknown as ZXingInput;
}

export async function zxingRead(g: Gray, options: ReaderOptions): Promise<ReadResult[]> {
  await loadZXing();
  return readBarcodes(grayToImageData(g), options);
}
