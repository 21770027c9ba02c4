import type { DecodePlan } from './decode';
import { DEFAULT_PLAN } from './plan';

/**
 * Full-page scans (A4 or Letter at 250 dpi and more: 6 MP and up; the labelled photo set stops
 * at 5.3 MP) get their own plan, a layer over the photo plan (plan.ts), not a change to it.
 *
 * What a page's time goes to (TOOLCHAIN.md, measured on 300-dpi A4): ZXing with rotate and
 * invert on the whole page ~1.1 s; on a half-size copy without invert 70-110 ms, and that copy
 * still reads every code of the bench's pages (modules are 4-8 px at 300 dpi: 2-4 px at half
 * size; ZXing reads 1D codes down to about 1.5 px per module). tryRotate stays on: sideways
 * pages carry vertical barcodes.
 *
 * Every page runs the same steps, with or without a code (no full-page retries when nothing was
 * found): a page without a code then costs what a page with one costs, the pages of a mailroom
 * are mostly without, and a full-resolution retry of the whole page costs 3-4 times the page.
 * Instead, regions of bars are located on the half-size copy (locate.ts) and only those the
 * cheap pass did not read are decoded at full resolution: small linear codes (modules of ~3 px,
 * 1.5 px at half size) and 1-bit pages whose ragged edges the downscale blurs away. On the
 * bench's 24 pages that is 4-7 crops in all, ~3% of the decode time. Not searched for yet:
 * small 2D codes the half-size pass misses (the locator finds bars only) and light-on-dark codes.
 */
export const FULL_PAGE_MIN_PIXELS = 6_000_000;

// The half-size copy by 2x2 averages: a fifth of a lanczos3 resize's cost on an A4 page at 300
// dpi, and on the bench's pages it reads what the lanczos3 copy read.
const HALF = { halve: true };

export const FULL_PAGE_PLAN: DecodePlan = {
  fast: [
    { name: 'page-half-zxing', decoder: 'zxing', variant: HALF, zxing: { tryInvert: false, tryDownscale: false } },
    // No ZBar pass: on the bench's pages ZXing reads every retail code, and ZBar on the
    // half-size page cost half as much again as ZXing (measured: ~25% of the page).
  ],
  retries: [],
  ...(DEFAULT_PLAN.addOn ? { addOn: DEFAULT_PLAN.addOn } : {}),
  // Bars the half-size pass could not read (modules under ~3 px at full resolution, fax-like
  // 1-bit edges): located on that same half-size copy, read at full resolution in a crop.
  regions: {
    search: HALF,
    margin: 2,
    steps: [
      { name: 'region-zxing', decoder: 'zxing', zxing: { formats: ['AllLinear'], tryInvert: false, tryDownscale: false } },
      { name: 'region-zxing-fixed', decoder: 'zxing', zxing: { formats: ['AllLinear'], tryInvert: false, tryDownscale: false, binarizer: 'FixedThreshold' } },
    ],
  },
};

/** The plan for a page of this size: the photo plan, or the full-page layer for big scans. */
export function planFor(width: number, height: number): DecodePlan {
  return width * height >= FULL_PAGE_MIN_PIXELS ? FULL_PAGE_PLAN : DEFAULT_PLAN;
}
