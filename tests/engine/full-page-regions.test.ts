import { describe, expect, it } from 'vitest';
import { generatePages, type PageLayout } from '../../bench/pages/layout';
import { renderPage } from '../../bench/pages/render';
import { decodeGray } from '../../electron/core/engines/local/decode';
import { locateBars } from '../../electron/core/engines/local/locate';
import { FULL_PAGE_PLAN, planFor } from '../../electron/core/engines/local/page-plan';
import { makeVariant } from '../../electron/core/engines/local/variants';
import type { Gray } from '../../electron/core/engines/local/zxing';

/**
 * Full A4 pages at 300 dpi (the bench's generator, seed 1): the cheap half-size pass, then only
 * the regions of bars it did not read decoded at full resolution. Page 11 carries a Code 128
 * with modules of about 3 px; as a 1-bit (fax, G4) page its ragged edges are lost at half
 * size, and the region step reads it.
 */
let pages: PageLayout[] | null = null;
async function page(n: number, bilevel: boolean): Promise<{ gray: Gray; layout: PageLayout }> {
  pages ??= await generatePages(1, 11);
  const layout = pages[n - 1]!;
  const g = renderPage(layout);
  // As the bench's G4 TIFF stores it: thresholded between ink and paper.
  const data = bilevel && !g.bilevel ? g.data.map((v) => (v < 150 ? 0 : 255)) : g.data;
  return { gray: { data: new Uint8Array(data), width: g.width, height: g.height }, layout };
}

describe('full pages: a cheap pass, then full resolution only where bars are', () => {
  it('reads the small Code 128 of a 1-bit page in a located region, and nothing else', async () => {
    const { gray, layout } = await page(11, true);
    expect(planFor(gray.width, gray.height)).toBe(FULL_PAGE_PLAN);
    const out = await decodeGray(gray, FULL_PAGE_PLAN);
    expect(out.detections.map((d) => d.text).sort()).toEqual(layout.truth.map((t) => t.text).sort());
    const code128 = layout.truth.find((t) => t.symbology === 'Code128')!;
    // The half-size pass alone does not read it (what the region step is for)...
    const half = out.steps.filter((s) => s.name === 'page-half-zxing').flatMap((s) => s.found.map((d) => d.text));
    expect(half).not.toContain(code128.text);
    // ...and a few crops are all that ran besides it.
    const regionRuns = out.steps.filter((s) => s.name.startsWith('region-'));
    expect(regionRuns.length).toBeGreaterThan(0);
    expect(regionRuns.length).toBeLessThanOrEqual(2 * 6);
    expect(regionRuns.flatMap((s) => s.found.map((d) => d.text))).toContain(code128.text);
  });

  it('locates the bars of that code on the half-size page, and the same regions every time', async () => {
    const { gray } = await page(11, true);
    const half = await makeVariant(gray, { scale: 0.5 });
    const a = locateBars(half.gray);
    const b = locateBars(half.gray);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
    // A region is a few cells, never most of the page (text is not taken for bars).
    for (const r of a) expect(r.width * r.height).toBeLessThan(0.1 * half.gray.width * half.gray.height);
  });

  it('a page of text without a code gives nothing', async () => {
    const { gray, layout } = await page(8, false);
    expect(layout.truth).toEqual([]);
    const out = await decodeGray(gray, FULL_PAGE_PLAN);
    expect(out.detections).toEqual([]);
  });
});
