import { describe, expect, it } from 'vitest';
import { hardenedWebPreferences } from '../../electron/main/web-preferences';

describe('the main window web preferences', () => {
  it('isolate and sandbox the page, with no Node and no webviews, in every build', () => {
    for (const packaged of [false, true]) {
      expect(hardenedWebPreferences({ preloadPath: '/app/preload/index.cjs', packaged })).toMatchObject({
        preload: '/app/preload/index.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      });
    }
  });

  it('offer DevTools only to a development run, never in a packaged build', () => {
    expect(hardenedWebPreferences({ preloadPath: 'p', packaged: true }).devTools).toBe(false);
    expect(hardenedWebPreferences({ preloadPath: 'p', packaged: false }).devTools).toBe(true);
  });
});
