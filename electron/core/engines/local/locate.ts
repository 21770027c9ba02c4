import type { Gray } from './zxing';

/**
 * Where on a full page a linear barcode may be that the cheap pass did not read: regions of
 * bars, found on a reduced copy of the page by their texture alone. Bars make many strong edges
 * across them and almost none along them; text makes edges both ways, rules and table lines
 * one edge per row, paper and photos few. Only these regions are then decoded at full
 * resolution (decode.ts), so the costly attempts cost a few crops, not another full page.
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
  /** Cells a region needs (small specks of texture are not codes). */
  minCells: number;
  /** Regions returned at most, largest first (a bound on the cost of a busy page). */
  maxRegions: number;
}

export const DEFAULT_LOCATE: LocateOptions = { cell: 16, edge: 40, density: 0.15, anisotropy: 4, minCells: 6, maxRegions: 6 };

/** A region in the coordinates of the image searched. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
  /** Bars run up and down ('vertical') or across the page ('horizontal'). */
  bars: 'vertical' | 'horizontal';
  cells: number;
}

export function locateBars(g: Gray, opts: LocateOptions = DEFAULT_LOCATE): Region[] {
  const { width, height, data } = g;
  const c = opts.cell;
  const cols = Math.floor(width / c);
  const rows = Math.floor(height / c);
  if (cols < 1 || rows < 1) return [];
  // Per cell: edges between horizontal neighbours (bars standing up) and vertical ones.
  const across = new Uint32Array(cols * rows);
  const along = new Uint32Array(cols * rows);
  const edge = opts.edge;
  for (let y = 0; y < rows * c; y++) {
    const row = y * width;
    const next = y + 1 < height ? row + width : row;
    const cy = ((y / c) | 0) * cols;
    for (let cx = 0; cx < cols; cx++) {
      const x0 = cx * c;
      // the last pixel of a row has no right-hand neighbour
      const xAcross = Math.min(x0 + c, width - 1);
      let h = 0;
      let v = 0;
      for (let x = x0; x < xAcross; x++) {
        const d = data[row + x]! - data[row + x + 1]!;
        if (d > edge || d < -edge) h++;
      }
      for (let x = x0; x < x0 + c; x++) {
        const d = data[row + x]! - data[next + x]!;
        if (d > edge || d < -edge) v++;
      }
      across[cy + cx]! += h;
      along[cy + cx]! += v;
    }
  }
  const need = opts.density * c * c;
  // 1: bars standing up (edges across, few along); 2: bars lying down; 0: neither.
  const kind = new Uint8Array(cols * rows);
  for (let k = 0; k < kind.length; k++) {
    const h = across[k]!;
    const v = along[k]!;
    if (h >= need && h >= opts.anisotropy * v) kind[k] = 1;
    else if (v >= need && v >= opts.anisotropy * h) kind[k] = 2;
  }
  // Connected cells of one kind (8-neighbours: a skewed code steps diagonally) are one region.
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
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
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
    }
    if (cells < opts.minCells) continue;
    regions.push({ left: x0 * c, top: y0 * c, width: (x1 - x0 + 1) * c, height: (y1 - y0 + 1) * c, bars: kindHere === 1 ? 'vertical' : 'horizontal', cells });
  }
  // Largest first; ties in reading order, so the answer never depends on anything but the page.
  regions.sort((a, b) => b.cells - a.cells || a.top - b.top || a.left - b.left);
  return regions.slice(0, opts.maxRegions);
}
