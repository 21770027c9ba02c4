import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../bench/ui/build-renderer';

/**
 * The renderer the e2e tests and the UI benchmark drive is the one users run: React's
 * production build, even though vitest sets NODE_ENV to "test" (with it, Vite bundled React's
 * development build, which doubled the script time per frame the scroll benchmark measured).
 */
const dir = mkdtempSync(join(tmpdir(), 'scandesk-renderer-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderer build for tests and benchmarks', () => {
  it('bundles React for production under vitest, and leaves NODE_ENV as it was', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    await buildRenderer(dir);
    expect(process.env.NODE_ENV).toBe('test');
    const assets = join(dir, 'assets');
    const js = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
    expect(js).toContain('createRoot');
    expect(js).not.toMatch(/jsxDEV\)?\(/); // the development JSX runtime
    expect(js).not.toContain('unique "key" prop'); // a warning only React's development build has
  }, 120_000);
});
