import { join } from 'node:path';
import { BrowserWindow, screen } from 'electron';
import { hardenedWebPreferences } from './web-preferences';
import { fitToDisplays, loadWindowState, MIN_SIZE, saveWindowState } from './window-state';

/**
 * The main window, hardened: isolated, sandboxed preload, no Node in the page, web security on,
 * no webviews. It reopens where it was left, kept on a display that is still connected.
 */
export function createMainWindow(options: {
  preloadPath: string;
  url: string;
  stateFile: string;
  title: string;
  /** A packaged build: no DevTools, whatever the keyboard or a menu asks. */
  packaged: boolean;
}): BrowserWindow {
  const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea);
  const bounds = fitToDisplays(loadWindowState(options.stateFile), workAreas);
  const win = new BrowserWindow({
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: options.title,
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: hardenedWebPreferences({ preloadPath: options.preloadPath, packaged: options.packaged }),
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const remember = () => {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    const maximized = win.isMaximized();
    const b = maximized ? win.getNormalBounds() : win.getBounds();
    saveWindowState(options.stateFile, { ...b, maximized });
  };
  let timer: NodeJS.Timeout | null = null;
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(remember, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    remember();
  });

  void win.loadURL(options.url);
  return win;
}

export function preloadPath(mainDir: string): string {
  return join(mainDir, '../preload/index.cjs');
}
