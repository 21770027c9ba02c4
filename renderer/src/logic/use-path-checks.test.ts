import { describe, expect, it } from 'vitest';
import type { PathCheck } from '../../../shared/contract';
import { startBlocker } from './use-path-checks';

const folder = (path: string, images: number): PathCheck => ({ path, kind: 'folder', images, others: 3, capped: false, error: null });

describe('startBlocker', () => {
  it('waits for every check, refuses a path with an error, and a set of folders without images', () => {
    const checks = new Map<string, PathCheck>([
      ['/a', folder('/a', 2)],
      ['/empty', folder('/empty', 0)],
      ['/x', { path: '/x', kind: null, images: 0, others: 0, capped: false, error: { code: 'FILE_NOT_FOUND', message: 'x: no such file' } }],
      ['/notes.dat', { path: '/notes.dat', kind: 'file', images: 0, others: 1, capped: false, error: null }],
    ]);
    expect(startBlocker(['/a', '/new'], checks)).toBe('checking');
    expect(startBlocker(['/a', '/x'], checks)).toBe('fix');
    expect(startBlocker(['/empty'], checks)).toBe('noImages');
    expect(startBlocker(['/empty', '/a'], checks)).toBeNull();
    // A file whose name does not say image is read by its bytes: allowed.
    expect(startBlocker(['/notes.dat'], checks)).toBeNull();
  });
});
