import { describe, expect, it } from 'vitest';
import { formatBytes, needsConfirmation, planUsesVendor } from './usage';

describe('usage helpers', () => {
  it('asks before a plan that sends pages to a vendor', () => {
    expect(planUsesVendor({ engine: 'local' })).toBe(false);
    expect(planUsesVendor({ engine: 'local', fallback: 'wechat' })).toBe(true);
    expect(planUsesVendor({ engine: 'tencent' })).toBe(true);
    const none = { pages: 3, unreadable: 0, skipped: 0, vendors: [{ vendor: 'tencent', pages: 0, stored: 3, upTo: false }], warnings: [] };
    expect(needsConfirmation(none)).toBe(false);
    expect(needsConfirmation({ ...none, vendors: [{ vendor: 'tencent', pages: 1, stored: 2, upTo: false }] })).toBe(true);
  });
  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(160_000)).toBe('156.3 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
