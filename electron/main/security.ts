import { shell, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../core/api/csp';
import { isAppUrl, isSafeExternalUrl } from './app-url';
import { grantsPermission } from './permissions';

/**
 * Locks down what web content can do (Electron's security checklist): a strict CSP on every
 * app response, no permission but the camera to the app's own page, no navigation away from the app, no new windows (http(s)
 * links go to the system browser after a check), no webviews.
 */
export function devCsp(devServerUrl: string): string {
  // Vite's dev server injects an inline React-refresh preamble and talks HMR over a WebSocket.
  const ws = devServerUrl.replace(/^http/, 'ws');
  return contentSecurityPolicy({ connect: [ws] }).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
}

export function hardenSession(session: Session, devServerUrl: string | null): void {
  // App content from scandesk://app carries its CSP in the protocol response (protocol.ts);
  // this covers the dev server and anything else that reaches the window.
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (details.resourceType === 'mainFrame' || details.resourceType === 'subFrame') {
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
      headers['Content-Security-Policy'] = [devServerUrl && isAppUrl(details.url, devServerUrl) && !isAppUrl(details.url) ? devCsp(devServerUrl) : contentSecurityPolicy()];
    }
    callback({ responseHeaders: headers });
  });
  // The camera for "Capture from camera", to the app's own page only; nothing else (permissions.ts).
  session.setPermissionRequestHandler((wc, permission, callback, details) =>
    callback(grantsPermission(permission, details.requestingUrl ?? wc.getURL(), details as { mediaTypes?: string[] }, devServerUrl)),
  );
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    grantsPermission(permission, details.requestingUrl ?? requestingOrigin, { mediaTypes: details.mediaType ? [details.mediaType] : [] }, devServerUrl),
  );
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}

/** Applied to every WebContents the app creates (app.on('web-contents-created')). */
export function guardWebContents(contents: WebContents, devServerUrl: string | null): void {
  const block = (event: { preventDefault(): void }, url: string) => {
    // A dropped file makes Chromium try to navigate to it: the renderer handles drops itself.
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => block(event, event.url));
  contents.on('will-redirect', (event) => block(event, event.url));
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
