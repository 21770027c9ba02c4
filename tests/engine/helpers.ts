import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Detection } from '../../shared/detection';
import type { Point } from '../../shared/geometry';
import type { ImageFormat } from '../../electron/core/intake/types';
import { SAMPLES } from '../fixtures/samples';

export { SAMPLES };

export function sample(rel: string): string {
  return join(SAMPLES, rel);
}

export function source(path: string, format: ImageFormat = 'png') {
  return { path, page: 1, format, sha256: 'test' };
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `scandesk-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function centroid(d: Detection): Point {
  const ps = d.geometry.points;
  return { x: ps.reduce((s, p) => s + p.x, 0) / ps.length, y: ps.reduce((s, p) => s + p.y, 0) / ps.length };
}

export function maxCornerDistance(a: Point[], b: Point[]): number {
  return Math.max(...a.map((p, i) => Math.hypot(p.x - b[i]!.x, p.y - b[i]!.y)));
}

type Box = { left: number; top: number; width: number; height: number };

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left));
  const h = Math.max(0, Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top));
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}
