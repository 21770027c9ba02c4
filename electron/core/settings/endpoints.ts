import { isIP } from 'node:net';
import type { TencentEndpoint } from '../vendors/tencent/sdk-client';

export const TENCENT_HOST = 'ocr.tencentcloudapi.com';

/**
 * A Tencent endpoint URL from the settings, as the SDK client wants it. Tencent signs the
 * host name, so a URL naming an IP address (an emulator, a pinned address behind a proxy) is
 * called at that address while requests are signed and sent for ocr.tencentcloudapi.com.
 */
export function tencentEndpoint(url: string | undefined): TencentEndpoint | undefined {
  if (!url) return undefined;
  const u = new URL(url);
  const protocol = u.protocol === 'http:' ? 'http://' : 'https://';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) || host === 'localhost') {
    return {
      endpoint: u.port ? `${TENCENT_HOST}:${u.port}` : TENCENT_HOST,
      protocol,
      resolveTo: host === 'localhost' ? '127.0.0.1' : host,
    };
  }
  return { endpoint: u.host, protocol };
}
