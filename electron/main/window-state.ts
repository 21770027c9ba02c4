import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The main window's size and position, remembered in a small JSON file in userData. Plain
 * logic (no Electron import) so it is unit-tested; main passes the displays' work areas.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Partial<Pick<Rect, 'x' | 'y'>> {
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_SIZE = { width: 800, height: 560 } as const;

const StateSchema = z.object({
  x: z.number().finite().optional(),
  y: z.number().finite().optional(),
  width: z.number().finite().positive(),
  height: z.number().finite().positive(),
  maximized: z.boolean(),
});

export function loadWindowState(file: string): WindowState | null {
  try {
    const parsed = StateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, file);
  } catch {
    // Losing the window position is not worth an error dialog.
  }
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where to open the window: the saved bounds when enough of them is on a connected display
 * (a monitor may have been unplugged since), clamped to fit that display; otherwise centred on
 * the primary display. `workAreas[0]` is the primary display.
 */
export function fitToDisplays(saved: WindowState | null, workAreas: Rect[]): WindowState & Rect {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_WINDOW.width, height: DEFAULT_WINDOW.height };
  const base = saved ?? DEFAULT_WINDOW;
  const centred = (area: Rect, width: number, height: number) => {
    const w = Math.max(Math.min(width, area.width), Math.min(MIN_SIZE.width, area.width));
    const h = Math.max(Math.min(height, area.height), Math.min(MIN_SIZE.height, area.height));
    return { x: Math.round(area.x + (area.width - w) / 2), y: Math.round(area.y + (area.height - h) / 2), width: Math.round(w), height: Math.round(h) };
  };
  if (saved && saved.x !== undefined && saved.y !== undefined) {
    const rect = { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
    let best: Rect | null = null;
    let bestArea = 0;
    for (const area of workAreas) {
      const o = overlap(rect, area);
      if (o > bestArea) {
        bestArea = o;
        best = area;
      }
    }
    // Visible enough to grab: at least 100x50 px of it on one display.
    if (best && bestArea >= 100 * 50) {
      const width = Math.min(Math.max(rect.width, Math.min(MIN_SIZE.width, best.width)), best.width);
      const height = Math.min(Math.max(rect.height, Math.min(MIN_SIZE.height, best.height)), best.height);
      const x = Math.min(Math.max(rect.x, best.x), best.x + best.width - width);
      const y = Math.min(Math.max(rect.y, best.y), best.y + best.height - height);
      return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height), maximized: saved.maximized };
    }
  }
  return { ...centred(primary, base.width, base.height), maximized: base.maximized };
}
