import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule } from 'zxing-wasm/reader';

const require = createRequire(import.meta.url);
let ready: Promise<unknown> | null = null;

/**
 * ZXing-C++ (zxing-wasm) for the test oracles and the emulators, its wasm read from node_modules:
 * the library's default CDN fetch fails offline (see TOOLCHAIN.md). Loaded once per process.
 * Independent of the product's engines on purpose.
 */
export function loadZXing(): Promise<unknown> {
  if (!ready) {
    const buf = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    const wasmBinary = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    ready = prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  }
  return ready;
}
