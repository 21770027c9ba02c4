import type { Gray } from './zxing';

/**
 * Where on a full page a code may be that the cheap pass did not read, found on a reduced copy
 * of the page by its texture alone, cell by cell:
 * - bars (linear codes, PDF417's rows): many strong edges across them, almost none along them.
 *   Text makes edges both ways, rules and table lines one edge per row, paper and photos few.
 * - a matrix (QR, DataMatrix, Aztec): many strong edges both ways, like text, but about half
 *   of the cell dark (modules), where text is mostly paper with thin strokes; and a block of
 *   such cells at least two cells each way, where a line of bold text is one cell tall.
 * Only these regions are then decoded at full resolution with the costly options (decode-regions.ts),
 * so those attempts cost a few crops, not more passes over the whole page.
 *
 * A pure function of the pixels: the same page gives the same regions.
 */
export interface LocateOptions {
  /** Side of a cell, in pixels of the image searched (e.g. the half-size page). */
  cell: number;
  /** Difference between neighbours that counts as an edge (grey levels). */
  edge: number;
  /** Edges per pixel across the bars a cell needs (a 16-px row crossing 2.4 bars: 0.15). */
  density: number;
  /** How many times more edges across than along. */
  anisotropy: number;
  /** Cells a region of bars needs (small specks of texture are not codes). */
  minCells: number;
  /** A matrix cell: the share of it that is dark, between its lightest and darkest pixel. */
  matrixDark: [number, number];
  /** A matrix cell: its darkest and lightest pixel at least this far apart. */
  matrixContrast: number;
  /** Cells a matrix region needs, and at least two of them each way. */
  minMatrixCells: number;
  /** Regions returned at most, largest first (a bound on the cost of a busy page). */
  maxRegions: number;
}

export const DEFAULT_LOCATE: LocateOptions = {
  cell: 16,
  edge: 40,
  density: 0.15,
  anisotropy: 4,
  minCells: 6,
  matrixDark: [0.3, 0.75],
  matrixContrast: 60,
  minMatrixCells: 4,
  maxRegions: 8,
};

/** What a region looks like: bars standing up, bars lying down (a code turned a quarter), or a matrix. */
export type RegionKind = 'vertical-bars' | 'horizontal-bars' | 'matrix';

/** A region in the coordinates of the image searched. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
  kind: RegionKind;
  cells: number;
}

const KINDS: RegionKind[] = ['vertical-bars', 'horizontal-bars', 'matrix'];

/** Per cell, strong edges between horizontal neighbours (`across`) and vertical ones (`along`). */
function edgeCounts(g: Gray, c: number, edge: number, cols: number, rows: number): { across: Uint32Array; along: Uint32Array } {
  const { width, height, data } = g;
  const across = new Uint32Array(cols * rows);
  const along = new Uint32Array(cols * rows);
  // the last pixel of a row has no right-hand neighbour: it counts against itself (no edge)
  const lastX = Math.min(cols * c, width - 1);
  for (let y = 0; y < rows * c; y++) {
    const row = y * width;
    const down = y + 1 < height ? width : 0;
    const cy = ((y / c) | 0) * cols;
    for (let cx = 0; cx < cols; cx++) {
      const x0 = row + cx * c;
      const x1 = row + Math.min((cx + 1) * c, lastX);
      const end = x0 + c;
      let h = 0;
      let v = 0;
      for (let i = x0; i < x1; i++) {
        const p = data[i]!;
        const dh = p - data[i + 1]!;
        const dv = p - data[i + down]!;
        if (dh > edge || dh < -edge) h++;
        if (dv > edge || dv < -edge) v++;
      }
      for (let i = x1; i < end; i++) {
        const dv = data[i]! - data[i + down]!;
        if (dv > edge || dv < -edge) v++;
      }
      across[cy + cx]! += h;
      along[cy + cx]! += v;
    }
  }
  return { across, along };
}

/** Dark share of one cell between its extremes, or -1 when its contrast is too low to say. */
function darkShare(g: Gray, x0: number, y0: number, c: number, minContrast: number): number {
  let lo = 255;
  let hi = 0;
  let sum = 0;
  for (let y = y0; y < y0 + c; y++) {
    const row = y * g.width;
    for (let i = row + x0; i < row + x0 + c; i++) {
      const p = g.data[i]!;
      sum += p;
      if (p < lo) lo = p;
      if (p > hi) hi = p;
    }
  }
  if (hi - lo < minContrast) return -1;
  return (hi * c * c - sum) / ((hi - lo) * c * c);
}

export function locateCodes(g: Gray, opts: LocateOptions = DEFAULT_LOCATE): Region[] {
  const c = opts.cell;
  const cols = Math.floor(g.width / c);
  const rows = Math.floor(g.height / c);
  if (cols < 1 || rows < 1) return [];
  const { across, along } = edgeCounts(g, c, opts.edge, cols, rows);
  const need = opts.density * c * c;
  // 1: bars standing up (edges across, few along); 2: bars lying down; 3: a matrix; 0: neither.
  const kind = new Uint8Array(cols * rows);
  for (let k = 0; k < kind.length; k++) {
    const h = across[k]!;
    const v = along[k]!;
    if (h < need && v < need) continue;
    if (h >= need && h >= opts.anisotropy * v) kind[k] = 1;
    else if (v >= need && v >= opts.anisotropy * h) kind[k] = 2;
    else if (h >= need && v >= need) {
      // only the few cells dense both ways are looked at again, for their share of dark
      const dark = darkShare(g, (k % cols) * c, ((k / cols) | 0) * c, c, opts.matrixContrast);
      if (dark >= opts.matrixDark[0] && dark <= opts.matrixDark[1]) kind[k] = 3;
    }
  }
  // Connected cells of one kind (8-neighbours: a skewed code steps diagonally) are one region.
  // Bars also join across one cell of their code's length: a wide bar or space can leave a cell
  // short of edges, and half a code in a crop reads nothing.
  const reach: Array<Array<[number, number]>> = [[], [], [], []];
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (dx || dy) for (const k of [1, 2, 3]) reach[k]!.push([dx, dy]);
  reach[1]!.push([-2, 0], [2, 0]);
  reach[2]!.push([0, -2], [0, 2]);
  const seen = new Uint8Array(cols * rows);
  const regions: Region[] = [];
  const stack: number[] = [];
  for (let start = 0; start < kind.length; start++) {
    if (!kind[start] || seen[start]) continue;
    const kindHere = kind[start]!;
    let x0 = cols;
    let y0 = rows;
    let x1 = -1;
    let y1 = -1;
    let cells = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const k = stack.pop()!;
      const x = k % cols;
      const y = (k / cols) | 0;
      cells++;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
      for (const [dx, dy] of reach[kindHere]!) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
        const n = ny * cols + nx;
        if (!seen[n] && kind[n] === kindHere) {
          seen[n] = 1;
          stack.push(n);
        }
      }
    }
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    if (kindHere === 3) {
      // a line of bold text is one cell tall (or wide, turned); a code is a block
      if (cells < opts.minMatrixCells || w < 2 || h < 2 || cells < 0.5 * w * h) continue;
    } else if (cells < opts.minCells) continue;
    regions.push({ left: x0 * c, top: y0 * c, width: w * c, height: h * c, kind: KINDS[kindHere - 1]!, cells });
  }
  // Largest first; ties in reading order, so the answer never depends on anything but the page.
  regions.sort((a, b) => b.cells - a.cells || a.top - b.top || a.left - b.left);
  return regions.slice(0, opts.maxRegions);
}
