import { protocol, type Session } from 'electron';
import { parseMediaPath } from '../../shared/contract';
import { contentSecurityPolicy, readStatic, SECURITY_HEADERS, type MediaCache } from '../core/api';
import { ScanError } from '../core/errors';
import { APP_SCHEME } from './app-url';

/**
 * The privileged scandesk: scheme. Must be declared before the app is ready.
 * - scandesk://app/…          the renderer build (with the CSP header), a stable origin that
 *                             IPC sender checks can trust (file:// would not give one);
 * - scandesk://media/{kind}/{itemId}  oriented previews/thumbnails by item id, never by path.
 */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

export function handleAppProtocol(session: Session, options: { rendererDir: string; media: MediaCache }): void {
  const text = (status: number, body: string) =>
    new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });

  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (request.method !== 'GET') return text(405, 'Method not allowed');
    if (url.host === 'app') {
      const file = await readStatic(options.rendererDir, url.pathname);
      if (!file) return text(404, 'Not found');
      return new Response(new Uint8Array(file.data), {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Security-Policy': contentSecurityPolicy() },
      });
    }
    if (url.host === 'media') {
      const ref = parseMediaPath(url.pathname);
      if (!ref) return text(404, 'Not found');
      try {
        // A request the page no longer wants (a card scrolled away) drops its waiting render.
        const img = await options.media.get(ref.kind, ref.itemId, request.signal);
        return new Response(new Uint8Array(img.data), { status: 200, headers: { 'Content-Type': img.contentType, 'Cache-Control': 'private, max-age=3600' } });
      } catch (err) {
        if (err instanceof ScanError) return text(err.code === 'NOT_FOUND' || err.code === 'FILE_NOT_FOUND' ? 404 : 422, err.message);
        return text(500, 'The preview could not be made.');
      }
    }
    return text(404, 'Not found');
  });
}
