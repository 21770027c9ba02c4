import type { DecodePlan, DecodeStep } from './decode';
import { DEFAULT_PLAN } from './plan';

/**
 * Full-page scans (A4 or Letter at 250 dpi and more: 6 MP and up; the labelled photo set stops
 * at 5.3 MP) get their own plan, a layer over the photo plan (plan.ts), not a change to it.
 *
 * A staged plan. What a page's time goes to (TOOLCHAIN.md, measured on 300-dpi A4): ZXing with
 * rotate and invert on the whole page ~1.1 s; on a half-size copy without invert 60-70 ms, of
 * which rotation (for linear codes and DataMatrix) is 60%; that copy still reads every
 * upright code of the bench's pages (modules are 4-8 px at 300 dpi: 2-4 px at half size; ZXing
 * reads 1D codes down to about 1.5 px per module).
 *
 * 1. Every page: ZXing on the half-size copy, upright only, no invert (~25 ms).
 * 2. Regions that look like codes on that same copy (locate.ts: bars standing or lying, and
 *    matrices), where stage 1 read nothing, each decoded at full resolution in a crop, with
 *    what stage 1 leaves out: rotation (sideways pages: lying bars, a turned DataMatrix),
 *    invert (light-on-dark codes), full resolution (modules under ~3 px, 1-bit pages whose
 *    ragged edges the downscale blurs away).
 * No full-page retries: a page without a code then costs what a page with one costs (the pages
 * of a mailroom are mostly without), and it pays only for its few look-alike regions.
 */
export const FULL_PAGE_MIN_PIXELS = 6_000_000;

// The half-size copy by 2x2 averages: a fifth of a lanczos3 resize's cost on an A4 page at 300
// dpi, and on the bench's pages it reads what the lanczos3 copy read.
const HALF = { halve: true };

const CROP = { tryDownscale: false } as const;
// PDF417 is drawn as rows of bars: it is located as bars.
const BARS: DecodeStep[] = [
  { name: 'region-bars', decoder: 'zxing', zxing: { ...CROP, formats: ['AllLinear', 'PDF417'] } },
  { name: 'region-bars-fixed', decoder: 'zxing', zxing: { ...CROP, formats: ['AllLinear', 'PDF417'], binarizer: 'FixedThreshold' } },
];

export const FULL_PAGE_PLAN: DecodePlan = {
  fast: [
    { name: 'page-half-zxing', decoder: 'zxing', variant: HALF, zxing: { tryRotate: false, tryInvert: false, tryDownscale: false } },
    // No ZBar pass: on the bench's pages ZXing reads every retail code, and ZBar on the
    // half-size page cost half as much again as ZXing (measured: ~25% of the page).
  ],
  retries: [],
  ...(DEFAULT_PLAN.addOn ? { addOn: DEFAULT_PLAN.addOn } : {}),
  regions: {
    search: HALF,
    margin: 2,
    steps: {
      'vertical-bars': BARS,
      'horizontal-bars': BARS,
      matrix: [{ name: 'region-matrix', decoder: 'zxing', zxing: { ...CROP, formats: ['AllMatrix'] } }],
    },
  },
};

/** The plan for a page of this size: the photo plan, or the full-page layer for big scans. */
export function planFor(width: number, height: number): DecodePlan {
  return width * height >= FULL_PAGE_MIN_PIXELS ? FULL_PAGE_PLAN : DEFAULT_PLAN;
}
