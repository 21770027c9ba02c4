import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW, fitToDisplays, loadWindowState, saveWindowState, type Rect } from '../../electron/main/window-state';

const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const right: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };
const dir = mkdtempSync(join(tmpdir(), 'scandesk-winstate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('round-trips through its JSON file and ignores a damaged one', () => {
    const file = join(dir, 'a', 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    saveWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    writeFileSync(file, '{"width": "wide"');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ width: -5, height: 10, maximized: false }));
    expect(loadWindowState(file)).toBeNull();
  });

  it('keeps saved bounds that are on a connected display', () => {
    expect(fitToDisplays({ x: 2000, y: 100, width: 1200, height: 800, maximized: false }, [primary, right])).toEqual({
      x: 2000,
      y: 100,
      width: 1200,
      height: 800,
      maximized: false,
    });
  });

  it('moves a window from an unplugged monitor back onto the primary display', () => {
    const r = fitToDisplays({ x: 2000, y: 100, width: 1200, height: 800, maximized: true }, [primary]);
    expect(r.x).toBeGreaterThanOrEqual(0);
    expect(r.x + r.width).toBeLessThanOrEqual(1920);
    expect(r.y + r.height).toBeLessThanOrEqual(1040);
    expect(r.maximized).toBe(true);
  });

  it('pulls a barely visible window fully onto its display and shrinks an oversized one', () => {
    const r = fitToDisplays({ x: 1700, y: 900, width: 1000, height: 700, maximized: false }, [primary]);
    expect(r).toEqual({ x: 920, y: 340, width: 1000, height: 700, maximized: false });
    const big = fitToDisplays({ x: 0, y: 0, width: 5000, height: 3000, maximized: false }, [primary]);
    expect(big).toMatchObject({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('centres the default size when nothing was saved, even on a small screen', () => {
    expect(fitToDisplays(null, [primary])).toEqual({ x: 320, y: 120, width: DEFAULT_WINDOW.width, height: DEFAULT_WINDOW.height, maximized: false });
    const small = fitToDisplays(null, [{ x: 0, y: 0, width: 1024, height: 600 }]);
    expect(small.width).toBeLessThanOrEqual(1024);
    expect(small.height).toBeLessThanOrEqual(600);
  });
});
