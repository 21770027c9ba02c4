import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOriented } from '../../electron/core/imaging/load';
import { decodePixels, runStep } from '../../electron/core/engines/local/decode';
import { DEFAULT_PLAN } from '../../electron/core/engines/local/plan';
import { toGray } from '../../electron/core/engines/local/variants';
import { maxCornerDistance, sample } from './helpers';

async function page(rel: string) {
  const px = await loadOriented({ path: sample(rel), page: 1, format: 'png' });
  return { px, gray: toGray(px.data, px.width, px.height) };
}

describe('decode steps', () => {
  it.each([
    [{ angle: 30 }],
    [{ angle: -45, scale: 1.5 }],
    [{ scale: 2, pad: 20 }],
    [{ pad: 15, angle: 20, scale: 0.8, clahe: true }],
    [{ angle: -15, scale: 1.2 }],
    [{ crop: { left: 6, top: 4, width: 396, height: 398 }, pad: 10, angle: 10 }],
  ])('maps corners found on a re-rendered copy %j back onto the page', async (variant) => {
    const { gray } = await page('zxing/qrcode-2/1.png');
    const plain = await runStep({ name: 'plain', decoder: 'zxing' }, gray, new Map());
    const moved = await runStep({ name: 'variant', decoder: 'zxing', variant }, gray, new Map());
    expect(plain).toHaveLength(1);
    expect(moved).toHaveLength(1);
    expect(moved[0]!.text).toBe(plain[0]!.text);
    expect(maxCornerDistance(moved[0]!.geometry.points, plain[0]!.geometry.points)).toBeLessThan(4);
  });

  it('merges one EAN read with and without its add-on, and by both decoders, into one detection', async () => {
    const { px } = await page('zxing/upcean-extension-1/1.png');
    const out = await decodePixels(px.data, px.width, px.height, DEFAULT_PLAN);
    expect(out.steps.map((s) => s.name)).toContain('zbar');
    expect(out.detections).toHaveLength(1);
    expect(out.detections[0]).toMatchObject({
      kind: 'code',
      symbology: 'EAN-13',
      text: '978073520044951299',
      engine: 'local',
      extra: { eanAddOn: '51299', symbologyIdentifier: ']E3', decoder: 'zxing' },
    });
  });

  it('merges a UPC-A that one decoder calls EAN-13 0+12 digits and the other UPC-A', async () => {
    // ZBar reads it in the fast pass, ZXing only in its 2x retry and spells it as an EAN-13
    const { px } = await page('zxing/upca-2/01.png');
    const out = await decodePixels(px.data, px.width, px.height, DEFAULT_PLAN);
    expect(out.steps.map((s) => s.name)).toContain('zxing-2x-histogram');
    expect(out.detections).toHaveLength(1);
    expect(out.detections[0]!.text.replace(/^0(?=\d{12}$)/, '')).toBe('890444000335');
    expect(out.detections[0]!.extra?.disagreesWith).toBeUndefined();
  });

  it('runs retries only when the fast pass found nothing', async () => {
    const easy = await page('zxing/qrcode-2/1.png');
    const outEasy = await decodePixels(easy.px.data, easy.px.width, easy.px.height, DEFAULT_PLAN);
    expect(outEasy.steps.map((s) => s.name)).toEqual(['zxing', 'zbar']);
    // a small, soft PDF417 photo: only the 2x copy reads it
    const hard = await page('zxing/pdf417-2/22.png');
    const outHard = await decodePixels(hard.px.data, hard.px.width, hard.px.height, DEFAULT_PLAN);
    expect(outHard.steps.map((s) => s.name)).toEqual(['zxing', 'zbar', 'zxing-2x-histogram']);
    expect(outHard.detections.map((d) => d.text)).toEqual([readFileSync(sample('zxing/pdf417-2/22.txt'), 'utf8')]);
    const p = outHard.detections[0]!.geometry.points;
    for (const c of p) {
      expect(c.x).toBeGreaterThanOrEqual(-1);
      expect(c.x).toBeLessThanOrEqual(hard.px.width + 1);
    }
  });

  it('reads a slightly defocused UPC-A photo on a deconvolved copy, where no other step reads it', async () => {
    // Before the deblur step this page gave nothing at all.
    const { px } = await page('zxing/upca-2/10.png');
    const out = await decodePixels(px.data, px.width, px.height, DEFAULT_PLAN);
    expect(out.steps.map((s) => s.name)).toContain('zxing-deblur');
    const read = out.steps.filter((s) => s.found.length > 0).map((s) => s.name);
    expect(read).toEqual(['zxing-deblur']);
    expect(out.detections).toHaveLength(1);
    expect(out.detections[0]!.text.replace(/^0(?=\d{12}$)/, '')).toBe(readFileSync(sample('zxing/upca-2/10.txt'), 'utf8').trim());
    // the quad lies on the page
    for (const c of out.detections[0]!.geometry.points) {
      expect(c.x).toBeGreaterThanOrEqual(-1);
      expect(c.x).toBeLessThanOrEqual(px.width + 1);
    }
  });

  it('invents nothing on a stacked DataBar photo no step can read (its label is 04412345678909)', async () => {
    // Every format on the 2x CLAHE copy once read a DataBar Expanded payload that is not there.
    const { px } = await page('zxing/rss14-2/3.png');
    const out = await decodePixels(px.data, px.width, px.height, DEFAULT_PLAN);
    expect(out.steps.map((s) => s.name)).toContain('zxing-2x-clahe');
    expect(out.detections.filter((d) => !d.text.includes('4412345678909'))).toEqual([]);
  });

  it.each(['zxing/pdf417-1/09', 'zxing-cpp/aztec-1/mixed-ecis-41x41', 'zxing-cpp/datamatrix-1/eci-mixed'])(
    'keeps the exact bytes of a binary payload (%s) and a lossless latin-1 text',
    async (stem) => {
      const { px } = await page(`${stem}.png`);
      const out = await decodePixels(px.data, px.width, px.height, DEFAULT_PLAN);
      expect(out.detections).toHaveLength(1);
      const d = out.detections[0]!;
      const bytes = Buffer.from(d.bytesBase64!, 'base64');
      expect(bytes.equals(readFileSync(sample(`${stem}.bin`)))).toBe(true);
      expect(Buffer.from(d.text, 'latin1').equals(bytes)).toBe(true);
    },
  );
});
