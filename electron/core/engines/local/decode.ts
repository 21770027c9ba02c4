import type { ReaderOptions } from 'zxing-wasm/reader';
import type { Detection } from '../../../../shared/detection';
import { boundingBox } from '../../../../shared/geometry';
import { identityTransform } from './geometry-map';
import { decodeRegions, type RegionPlan } from './decode-regions';
import { mergeDetections } from './merge';
import { fromZBar, fromZXing } from './to-detection';
import { makeVariant, toGray, type Variant, type VariantSpec } from './variants';
import { zbarRead } from './zbar';
import { zxingRead, type Gray } from './zxing';

/** One attempt: a decoder, run on the page or on a re-rendering of it. */
export interface DecodeStep {
  name: string;
  decoder: 'zxing' | 'zbar';
  variant?: VariantSpec;
  zxing?: ReaderOptions;
  /** Run only on pages whose longest side is within these bounds (a 2x copy of a big scan is useless). */
  maxSide?: number;
  minSide?: number;
  /** Not run in a sheet's search for more codes (DecodePlan.sheet): too dear for what it finds there. */
  notOnSheets?: boolean;
}

/** What ZXing always gets: every format, the raw text (no HRI brackets), EAN add-ons read. */
export const BASE_ZXING: ReaderOptions = {
  formats: [],
  textMode: 'Plain',
  eanAddOnSymbol: 'Read',
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
};

export function applies(step: DecodeStep, width: number, height: number): boolean {
  const side = Math.max(width, height);
  return side <= (step.maxSide ?? Infinity) && side >= (step.minSide ?? 0);
}

/** The page re-rendered as `spec` says, made once per page and shared by every step that uses it. */
async function variantOf(spec: VariantSpec | undefined, page: Gray, cache: Map<string, Variant>): Promise<Variant> {
  if (!spec) return { gray: page, transform: identityTransform(page.width, page.height) };
  const key = JSON.stringify(spec);
  let v = cache.get(key);
  if (!v) {
    v = await makeVariant(page, spec);
    cache.set(key, v);
  }
  return v;
}

export async function runStep(step: DecodeStep, page: Gray, cache: Map<string, Variant>): Promise<Detection[]> {
  const variant = await variantOf(step.variant, page, cache);
  if (step.decoder === 'zbar') {
    const symbols = await zbarRead(variant.gray);
    return symbols.map((s) => fromZBar(s, variant.transform, step.name)).filter((d): d is Detection => d !== null);
  }
  const results = await zxingRead(variant.gray, { ...BASE_ZXING, ...step.zxing });
  return results.map((r) => fromZXing(r, variant.transform, step.name));
}

export interface DecodePlan {
  /** Always run, in order; their results are merged. */
  fast: DecodeStep[];
  /**
   * Tried in order only while ZXing has found nothing (ZBar alone is not trusted to end the
   * search: it sometimes sees a UPC-E inside a blurred UPC-A); the first step that finds codes
   * ends it. A step that fails (e.g. a filter on a 1x1 image) is skipped, not fatal.
   */
  retries: DecodeStep[];
  /**
   * Pages that carry several codes (a sheet of labels, a form with a printed QR code beside a
   * photographed product code): when the fast pass read at least `minCodes` codes, the retries
   * run anyway, each on the page with every code read so far painted white, so that a hard code
   * beside easy ones is not given up because the easy ones were found. One code read is the
   * common photo and ends the search as before (its cost stays that of the fast pass).
   */
  sheet?: { minCodes: number };
  /**
   * Run around each EAN/UPC that ZXing found without add-on: a targeted search, in a crop of
   * the page around that code, that requires the 2- or 5-digit add-on (ZXing's "read if
   * present" mode gives up on faint ones).
   */
  addOn?: DecodeStep;
  /**
   * Full pages: regions that look like codes, located on a reduced copy (decode-regions.ts),
   * where nothing was read yet, each decoded at full resolution with the steps for its kind.
   */
  regions?: RegionPlan;
}

/** One step that ran on a page: for traceability and tuning (the quality test's per-step table). */
export interface StepRun {
  name: string;
  ms: number;
  /** What this step read on its own, before merging (the quality test scores steps with it). */
  found: Detection[];
}

export interface DecodeOutcome {
  detections: Detection[];
  steps: StepRun[];
}

const ADD_ON_HOSTS = new Set(['EAN-13', 'UPC-A', 'UPC-E']);

export async function decodePixels(
  rgba: Uint8Array,
  width: number,
  height: number,
  plan: DecodePlan,
): Promise<DecodeOutcome> {
  return decodeGray(toGray(rgba, width, height), plan);
}

/** decodePixels for a page already in grey (one byte per pixel, as toGray makes it). */
export async function decodeGray(page: Gray, plan: DecodePlan): Promise<DecodeOutcome> {
  const { width, height } = page;
  const cache = new Map<string, Variant>();
  const steps: StepRun[] = [];
  let found: Detection[] = [];
  const byZXing = () => found.some((d) => d.extra?.decoder === 'zxing');
  /** Runs one step, timed; `tolerant` steps are extra chances: one that fails never loses the page. */
  const run = async (step: DecodeStep, tolerant: boolean) => {
    const t0 = performance.now();
    let got: Detection[] = [];
    try {
      got = await runStep(step, page, cache);
    } catch (err) {
      if (!tolerant) throw err;
    }
    steps.push({ name: step.name, ms: performance.now() - t0, found: got });
    found = found.concat(got);
  };
  for (const step of plan.fast) {
    if (applies(step, width, height)) await run(step, false);
  }
  // ZXing's codes only: ZBar's extra reads on one photo are mostly a retail code read twice
  const codesRead = () => mergeDetections(found.filter((d) => d.extra?.decoder === 'zxing').map((d) => ({ ...d }))).length;
  if (plan.sheet && codesRead() >= plan.sheet.minCodes) {
    for (const step of plan.retries) {
      if (step.notOnSheets || !applies(step, width, height)) continue;
      const mask = found.map((d) => boundingBox(d.geometry)).filter((b) => b !== null).map(grown);
      await run({ ...step, name: `sheet-${step.name}`, variant: { ...step.variant, mask } }, true);
    }
  } else {
    for (const step of plan.retries) {
      if (byZXing()) break;
      if (applies(step, width, height)) await run(step, true);
    }
  }
  if (plan.regions) await decodeRegions(plan.regions, await variantOf(plan.regions.search, page, cache), () => found, run);
  // Add-on search, only around each retail code found without one (cheap even on a full page).
  const addOn = plan.addOn;
  const hosts = addOn
    ? found.filter(
        (d) =>
          d.extra?.decoder === 'zxing' &&
          ADD_ON_HOSTS.has(d.symbology) &&
          d.extra.eanAddOn === undefined &&
          !found.some((o) => o.text.length > d.text.length && o.text.startsWith(d.text)), // add-on read already
      )
    : [];
  for (const host of hosts) {
    const box = boundingBox(host.geometry);
    if (!addOn || !box) continue;
    // the add-on sits beside the code, up to ~2/3 of its width away; its rows may extend higher
    const m = 0.75 * Math.max(box.width, box.height);
    const crop = { left: box.left - m, top: box.top - m, width: box.width + 2 * m, height: box.height + 2 * m };
    await run({ ...addOn, variant: { ...addOn.variant, crop } }, true);
  }
  // merge marks disagreements on its inputs: give it copies, so each step's record stays as read
  return { detections: mergeDetections(found.map((d) => ({ ...d }))), steps };
}

/** A code's box with a margin (a quad read on scan lines may not reach the ends of its bars). */
function grown(b: { left: number; top: number; width: number; height: number }) {
  const m = 4 + 0.1 * Math.max(b.width, b.height);
  return { left: b.left - m, top: b.top - m, width: b.width + 2 * m, height: b.height + 2 * m };
}
