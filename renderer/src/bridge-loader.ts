import type { ScanDeskApi } from '../../shared/contract';

/**
 * Finds window.scandesk. Electron's preload defines it before any script runs; the browser
 * host serves this same build, so without a preload the WebSocket bridge is loaded (a lazy
 * chunk, never fetched inside Electron) and installs it.
 */
export async function loadApi(): Promise<ScanDeskApi | null> {
  if (window.scandesk) return window.scandesk;
  const { installWsBridge } = await import('./bridge/ws-bridge');
  return installWsBridge();
}
