import type { WebPreferences } from 'electron';

/**
 * The main window's web preferences, in one pure function so a test can read them without
 * Electron: the page is isolated and sandboxed, has no Node, keeps web security, cannot open
 * webviews, and gets no DevTools in a packaged build (the View menu drops its item too).
 */
export function hardenedWebPreferences(options: { preloadPath: string; packaged: boolean }): WebPreferences {
  return {
    preload: options.preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools: !options.packaged,
  };
}
