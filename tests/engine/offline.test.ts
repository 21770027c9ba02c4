import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadOriented } from '../../electron/core/imaging/load';
import { decodePixels } from '../../electron/core/engines/local/decode';
import { DecodePool } from '../../electron/core/engines/local/pool';
import { DEFAULT_PLAN } from '../../electron/core/engines/local/plan';
import { loadZBar } from '../../electron/core/engines/local/zbar';
import { loadZXing } from '../../electron/core/engines/local/zxing';
import { sample } from './helpers';

describe('the local decoders load offline', () => {
  it('loads both wasm modules from node_modules and decodes without calling fetch', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error('offline')));
    const realFetch = globalThis.fetch;
    globalThis.fetch = fetchSpy as unknown as typeof fetch;
    try {
      await loadZXing();
      await loadZBar();
      const px = await loadOriented({ path: sample('zxing/qrcode-2/1.png'), page: 1, format: 'png' });
      const out = await decodePixels(px.data, px.width, px.height, DEFAULT_PLAN);
      expect(out.detections.map((d) => d.symbology)).toEqual(['QRCode']);
      // ZBar too: an upright UPC-A that only ZBar reads in one pass
      const upc = await loadOriented({ path: sample('zxing/upca-2/01.png'), page: 1, format: 'png' });
      const out2 = await decodePixels(upc.data, upc.width, upc.height, { fast: [{ name: 'zbar', decoder: 'zbar' }], retries: [] });
      expect(out2.detections[0]?.text).toBe('890444000335');
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  const pool = new DecodePool({
    size: 1,
    workerUrl: new URL('./fixtures/no-network-worker.mjs', import.meta.url),
  });
  afterAll(() => pool.close());

  it('decodes in a worker thread where any network access would kill the thread', async () => {
    const r = await pool.run({ path: sample('zxing/ean13-1/1.png'), page: 1, format: 'png' });
    expect(r.detections.map((d) => `${d.symbology}:${d.text}`)).toEqual(['EAN-13:8413000065504']);
  });
});
