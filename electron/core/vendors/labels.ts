import type { Localized } from '../../../shared/contract/vendors';

/** Labels several vendors' settings share, per language (a vendor's own ones sit in its definition). */
export const LABELS = {
  region: { en: 'Region', 'zh-CN': '地域' },
  endpoint: { en: 'Endpoint', 'zh-CN': '接入地址' },
  endpointHint: { en: 'Leave empty for the vendor’s default address', 'zh-CN': '留空则使用服务商的默认地址' },
  concurrency: { en: 'Requests at once', 'zh-CN': '同时请求数' },
  rateLimits: { en: 'Requests per second', 'zh-CN': '每秒请求数' },
  expiresAt: { en: 'Expires at (temporary keys only, e.g. 2026-12-06T18:00:00Z)', 'zh-CN': '过期时间（仅临时密钥，例如 2026-12-06T18:00:00Z）' },
} satisfies Record<string, Localized>;
