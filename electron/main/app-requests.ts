import { parseCropPath, parseMediaPath } from '../../shared/contract';
import { contentSecurityPolicy, readStatic, SECURITY_HEADERS, type CropSource, type MediaCache } from '../core/api';
import { ScanError } from '../core/errors';

/**
 * What the scandesk: protocol answers, as plain web Request -> Response (no Electron import, so
 * it runs under the tests as it runs in the app; protocol.ts only registers it):
 * - scandesk://app/…                  the renderer build, with the CSP;
 * - scandesk://media/{kind}/{itemId}  oriented previews/thumbnails by item id, never by path;
 * - scandesk://media/crop/{kind}/{id}  IDCardOCR's card/portrait crop by detection id (personal
 *                                      data: never cached by the page, never a path).
 * Every answer carries the security headers (nosniff: an image is never run as anything else).
 */
export interface AppRequestOptions {
  rendererDir: string;
  media: MediaCache;
  /** The crop kept with a detection's result (ScanService.detectionImage); ScanError NOT_FOUND when none. */
  crops: CropSource;
}

export async function answerAppRequest(request: Request, options: AppRequestOptions): Promise<Response> {
  const text = (status: number, body: string) =>
    new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });

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
  if (url.host === 'media' && url.pathname.startsWith('/crop/')) {
    const ref = parseCropPath(url.pathname);
    if (!ref) return text(404, 'Not found');
    try {
      const img = await options.crops(ref.kind, ref.detectionId);
      return new Response(new Uint8Array(img.data), { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': `image/${img.format}`, 'Cache-Control': 'no-store' } });
    } catch (err) {
      if (err instanceof ScanError && err.code === 'NOT_FOUND') return text(404, err.message);
      return text(500, 'The image could not be read.');
    }
  }
  if (url.host === 'media') {
    const ref = parseMediaPath(url.pathname);
    if (!ref) return text(404, 'Not found');
    try {
      // A request the page no longer wants (a card scrolled away) drops its waiting render.
      const img = await options.media.get(ref.kind, ref.itemId, request.signal);
      return new Response(new Uint8Array(img.data), {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'Content-Type': img.contentType, 'Cache-Control': 'private, max-age=3600' },
      });
    } catch (err) {
      if (err instanceof ScanError) return text(err.code === 'NOT_FOUND' || err.code === 'FILE_NOT_FOUND' ? 404 : 422, err.message);
      return text(500, 'The preview could not be made.');
    }
  }
  return text(404, 'Not found');
}
