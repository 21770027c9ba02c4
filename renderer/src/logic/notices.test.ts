import { describe, expect, it } from 'vitest';
import { addNotice } from './notices';

describe('batch notices', () => {
  it('keeps one of each notice per batch and says when nothing changed', () => {
    const a = addNotice({}, { batchId: 1, engine: 'tencent', message: 'offline' });
    expect(a[1]).toEqual([{ engine: 'tencent', message: 'offline' }]);
    expect(addNotice(a, { batchId: 1, engine: 'tencent', message: 'offline' })).toBe(a);
    const b = addNotice(a, { batchId: 2, engine: 'tencent', message: 'offline' });
    expect(b[2]).toHaveLength(1);
    expect(addNotice(b, { batchId: 1, engine: 'wechat', message: 'offline' })[1]).toHaveLength(2);
  });
});
