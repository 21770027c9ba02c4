/**
 * Which URLs the desktop app trusts. Plain logic (no Electron import) so it is unit-tested.
 *
 * App content is served from the privileged `scandesk://app/` origin (see protocol.ts); in
 * development electron-vite's dev server origin is trusted instead. IPC is answered only for
 * the main frame of a page at one of those origins.
 */
export const APP_SCHEME = 'scandesk';
export const APP_ORIGIN = 'scandesk://app';
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // Non-special schemes report origin "null"; build it from protocol and host instead.
    return u.protocol === `${APP_SCHEME}:` ? `${u.protocol}//${u.host}` : u.origin;
  } catch {
    return null;
  }
}

/** True for the app's own pages (and the dev server's in development). */
export function isAppUrl(url: string, devServerUrl: string | null = null): boolean {
  const origin = originOf(url);
  if (origin === null) return false;
  if (origin === APP_ORIGIN) return true;
  if (devServerUrl) {
    const dev = originOf(devServerUrl);
    return dev !== null && dev !== 'null' && origin === dev;
  }
  return false;
}

/** An IPC sender is trusted when it is the main frame and shows an app page. */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null | undefined, devServerUrl: string | null = null): boolean {
  return !!frame && frame.isMainFrame && isAppUrl(frame.url, devServerUrl);
}

/**
 * Links the app may hand to the system browser: http(s) only, a real host name, no embedded
 * credentials, bounded length. Everything else (file:, javascript:, custom schemes that could
 * launch other programs) is refused.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  if (!u.hostname || u.username || u.password) return false;
  return true;
}
