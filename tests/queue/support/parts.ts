import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes, ZXING_WASM_VERSION } from 'zxing-wasm/reader';
import type { Detection } from '../../../shared/detection';
import type { Engine, RecognizeRequest, RecognizeResult } from '../../../electron/core/engines/engine';

/**
 * TEMPORARY until the LocalEngine is committed: a small real engine (zxing-wasm on
 * sharp-oriented pixels), so the queue can be tested on real files meanwhile.
 */
const require = createRequire(import.meta.url);
let ready: Promise<unknown> | null = null;

export class DevZxingEngine implements Engine {
  readonly id = 'local' as const;
  readonly tasks = ['codes'] as const;
  readonly concurrency = 2;
  async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    if (!ready) {
      const buf = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
      ready = prepareZXingModule({
        overrides: { wasmBinary: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) },
        fireImmediately: true,
      });
    }
    await ready;
    const { data, info } = await sharp(req.source.path, { page: req.source.page - 1 })
      .rotate()
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const found = await readBarcodes(
      { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0],
      { tryHarder: true, maxNumberOfSymbols: 8 },
    );
    const detections: Detection[] = found
      .filter((r) => r.isValid)
      .map((r) => ({
        kind: 'code',
        symbology: r.format,
        text: r.text,
        geometry: {
          kind: 'quad',
          points: [r.position.topLeft, r.position.topRight, r.position.bottomRight, r.position.bottomLeft].map((p) => ({ x: p.x, y: p.y })),
        },
        engine: 'local',
      }));
    return { detections, pageWidth: info.width, pageHeight: info.height, engineVersion: `dev zxing-wasm ${ZXING_WASM_VERSION}` };
  }
}

export function realEngine(): Engine {
  return new DevZxingEngine();
}

export { expandPaths as realIntake } from '../../../electron/core/intake';
