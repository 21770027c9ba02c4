/**
 * The Content-Security-Policy of every page ScanDesk serves (Electron session headers for app
 * content, and the browser host's responses). Scripts only from the app itself, no eval, no
 * plugins, no framing, no forms posting anywhere; images from the app, its scandesk: protocol
 * and data: URLs (SVG outlines drawn by the UI). Inline styles stay allowed because React's
 * style props and the virtualized lists rely on them; inline scripts do not.
 */
export function contentSecurityPolicy(options: { connect?: string[] } = {}): string {
  const connect = ["'self'", ...(options.connect ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' scandesk: data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "media-src 'none'",
    "object-src 'none'",
    "worker-src 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Headers that go with every served page and asset. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
});
