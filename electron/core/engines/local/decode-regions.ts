import type { Detection } from '../../../../shared/detection';
import { boundingBox } from '../../../../shared/geometry';
import type { DecodeStep } from './decode';
import { DEFAULT_LOCATE, locateCodes, type LocateOptions, type RegionKind } from './locate';
import type { Variant, VariantSpec } from './variants';

/**
 * Full pages, the staged plan's second stage: regions that look like codes (locate.ts) on the
 * reduced copy the cheap pass decoded, where nothing was read yet, each decoded at full
 * resolution with the steps for its kind until one reads. The costly attempts (turned codes,
 * light-on-dark codes, modules too small for the reduced copy) then cost a few crops instead of
 * more passes over the whole page, and a page without a code pays for its few look-alikes only.
 */
export interface RegionPlan {
  /** The copy searched (e.g. the half-size page the cheap pass decoded: made once, shared). */
  search: VariantSpec;
  locate?: LocateOptions;
  /** Quiet zone added around a region, in cells of the search (the ends of a code are sparse). */
  margin: number;
  /** Per kind of region, tried in order until one reads. */
  steps: Record<RegionKind, DecodeStep[]>;
}

export async function decodeRegions(
  spec: RegionPlan,
  searched: Variant,
  found: () => Detection[],
  run: (step: DecodeStep, tolerant: boolean) => Promise<void>,
): Promise<void> {
  const locate = spec.locate ?? DEFAULT_LOCATE;
  const { sx, sy } = searched.transform;
  for (const r of locateCodes(searched.gray, locate)) {
    // A matrix is found by its densest cells; its edges, finder patterns and timing lines
    // often fall short of a cell's test (a DataMatrix's L, a QR code's quiet corners): its crop
    // grows by half its size again.
    const pad = spec.margin * locate.cell + (r.kind === 'matrix' ? Math.max(r.width, r.height) / 2 : 0);
    // back to page pixels, with a quiet zone around
    const crop = {
      left: Math.max(0, (r.left - pad) / sx),
      top: Math.max(0, (r.top - pad) / sy),
      width: (r.width + 2 * pad) / sx,
      height: (r.height + 2 * pad) / sy,
    };
    const covered = found().some((d) => {
      const b = boundingBox(d.geometry);
      if (!b) return false;
      const cx = b.left + b.width / 2;
      const cy = b.top + b.height / 2;
      return cx >= crop.left && cx <= crop.left + crop.width && cy >= crop.top && cy <= crop.top + crop.height;
    });
    if (covered) continue;
    for (const step of spec.steps[r.kind]) {
      const before = found().length;
      await run({ ...step, variant: { ...step.variant, crop } }, true);
      if (found().length > before) break;
    }
  }
}
