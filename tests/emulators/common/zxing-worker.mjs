// Decodes images off the emulator's event loop (zxing-wasm runs synchronously): a real service's
// front end keeps accepting requests while recognition runs, and the emulator's rate limiter must
// see requests when they arrive, not when a long decode lets the loop breathe.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

const require = createRequire(import.meta.url);
const buf = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
const ready = prepareZXingModule({
  overrides: { wasmBinary: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) },
  fireImmediately: true,
});

parentPort.on('message', async ({ id, bytes, options }) => {
  try {
    const { data, info } = await sharp(Buffer.from(bytes)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    await ready;
    const results = await readBarcodes(
      { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, colorSpace: 'srgb' },
      options,
    );
    parentPort.postMessage({
      id,
      width: info.width,
      height: info.height,
      results: results
        .filter((r) => r.isValid)
        .map((r) => ({ format: r.format, text: r.text, position: r.position, isValid: r.isValid })),
    });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
});
