import type { EngineId } from './engines';
import { boundingBox, type Geometry } from './geometry';

/**
 * Two engines that read the same code report it twice: same value, same place. These rules
 * decide when two detections of a page are one code (merged: reviewed and counted once, shown
 * as "found by: Local, WeChat") and when they disagree (same place, different value: both are
 * kept and marked, so a person looks). Pure, so the store and the UI agree.
 */
export interface Mergeable {
  id: number;
  engine: EngineId | 'manual';
  text: string;
  geometry: Geometry;
}

/** Boxes overlap this much (intersection over the smaller box) to be the same place. */
const SAME_PLACE = 0.5;

export function samePlace(a: Geometry, b: Geometry): boolean {
  const x = boundingBox(a);
  const y = boundingBox(b);
  // An engine that gives no position cannot contradict a place: the value decides.
  if (!x || !y) return true;
  const w = Math.min(x.left + x.width, y.left + y.width) - Math.max(x.left, y.left);
  const h = Math.min(x.top + x.height, y.top + y.height) - Math.max(x.top, y.top);
  if (w <= 0 || h <= 0) return false;
  const smaller = Math.min(Math.max(1, x.width * x.height), Math.max(1, y.width * y.height));
  return (w * h) / smaller >= SAME_PLACE;
}

export interface MergePlan {
  /** Detection id -> the id of the detection it is merged into (the first engine's). */
  mergedInto: Map<number, number>;
  /** Ids of detections that share a place with a different value from another engine. */
  disagreeing: Set<number>;
}

/**
 * Over one page's detections in stored order: each one from another engine than an earlier
 * one, with the same value at the same place, is merged into it (one per engine and code, so
 * two identical codes side by side from one engine stay two). Codes at the same place with
 * another value, from another engine, disagree.
 */
export function planMerge(list: readonly Mergeable[]): MergePlan {
  const mergedInto = new Map<number, number>();
  const disagreeing = new Set<number>();
  const primaries: Array<{ d: Mergeable; engines: Set<string> }> = [];
  for (const d of list) {
    const same = primaries.find((p) => !p.engines.has(d.engine) && p.d.text === d.text && samePlace(p.d.geometry, d.geometry));
    if (same) {
      mergedInto.set(d.id, same.d.id);
      same.engines.add(d.engine);
      continue;
    }
    primaries.push({ d, engines: new Set([d.engine]) });
  }
  for (const a of primaries) {
    for (const b of primaries) {
      if (a === b || a.d.text === b.d.text) continue;
      // One engine's two codes side by side are not a disagreement.
      if (a.engines.size === 1 && b.engines.size === 1 && a.d.engine === b.d.engine) continue;
      // Only codes with a position can be at the same place.
      if (boundingBox(a.d.geometry) && boundingBox(b.d.geometry) && samePlace(a.d.geometry, b.d.geometry)) disagreeing.add(a.d.id);
    }
  }
  return { mergedInto, disagreeing };
}
