import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, REQUEST_NAMES, eventChannel, requestChannel } from '../../shared/contract';

/**
 * `electron-vite build` (which needs no Electron binary) into a temporary folder, then checks
 * of what it produced: the entries main needs, native modules left external, and a preload
 * that is self-contained CommonJS (sandboxed preloads can load nothing else).
 *
 * The preload is also run once in a fresh V8 context. Electron cannot start here, so its
 * `electron` module is replaced by a recorder of what the preload registers; the point is the
 * preload's own logic (what it exposes, what it refuses, what listeners receive).
 */
const repo = resolve(import.meta.dirname, '../..');
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'scandesk-build-'));
  execFileSync(process.execPath, [join(repo, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', out], {
    cwd: repo,
    stdio: 'pipe',
  });
}, 300_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('electron-vite build', () => {
  it('writes main, the local decoder worker beside it, the preload and the renderer', () => {
    for (const f of ['main/index.js', 'main/local-decode-worker.js', 'main/preview-worker.js', 'preload/index.cjs', 'renderer/index.html']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
  });

  it('emits main-process chunks that parse as ES modules (no clash with electron-vite\'s require shim)', () => {
    // electron-vite prepends `const require = ...` to ESM chunks that call require(); a source
    // file declaring its own module-level `require` then makes the chunk fail to load at all.
    const dir = join(out, 'main');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
      const copy = join(dir, `${f}.check.mjs`);
      copyFileSync(join(dir, f), copy);
      const r = spawnSync(process.execPath, ['--check', copy], { encoding: 'utf8' });
      expect(r.stderr, f).toBe('');
      expect(r.status, f).toBe(0);
    }
  });

  it('leaves native modules to node_modules instead of inlining them', () => {
    // Main is split into chunks (the CLI imports its commands lazily), so the imports of a native
    // module may sit in any chunk: look at all of them. A native addon inlined by the bundler
    // would carry its own loader text and no bare import.
    const dir = join(out, 'main');
    const chunks = readdirSync(dir).filter((n) => n.endsWith('.js'));
    const all = chunks.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(all).toMatch(/from "better-sqlite3"/);
    expect(all).toMatch(/from "sharp"/);
    expect(all).toMatch(/nodeRequire\("keytar"\)|from "keytar"|import\("keytar"\)/);
    expect(all).not.toMatch(/better_sqlite3\.node|Could not load the "sharp" module|keytar\.node/);
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toMatch(/from "electron"/);
  });

  it('builds the preload as self-contained CommonJS that requires only electron', () => {
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    expect(preload).not.toMatch(/^\s*import\s/m);
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/ZodError|\$ZodType|safeParse/);
  });

  it('the preload exposes exactly window.scandesk and never hands out ipcRenderer', async () => {
    const exposed = new Map<string, Record<string, unknown>>();
    const invoked: Array<[string, unknown]> = [];
    const handlers = new Map<string, Set<(...a: unknown[]) => void>>();
    const electronStandIn = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (channel: string, input: unknown) => {
          invoked.push([channel, input]);
          return { ok: true, value: 'answer' };
        },
        on: (channel: string, fn: (...a: unknown[]) => void) => {
          if (!handlers.has(channel)) handlers.set(channel, new Set());
          handlers.get(channel)?.add(fn);
        },
        removeListener: (channel: string, fn: (...a: unknown[]) => void) => handlers.get(channel)?.delete(fn),
      },
      webUtils: { getPathForFile: (f: { path?: string }) => f.path ?? '' },
    };
    const code = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    const module = { exports: {} };
    const context = vm.createContext({
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`preload required ${name}`);
        return electronStandIn;
      },
      module,
      exports: module.exports,
    });
    vm.runInContext(code, context, { filename: 'preload/index.cjs' });

    expect([...exposed.keys()]).toEqual(['scandesk']);
    const api = exposed.get('scandesk') as {
      transport: string;
      invoke(n: string, i: unknown): Promise<unknown>;
      on(e: string, l: (p: unknown) => void): () => void;
      mediaUrl(k: string, id: number): string;
      cropUrl(k: string, id: number): string;
      getPathForFile(f: object): string | null;
    };
    expect(Object.keys(api).sort()).toEqual(['cropUrl', 'getPathForFile', 'invoke', 'mediaUrl', 'on', 'transport']);
    expect(api.transport).toBe('electron');

    // Contract names go to their own channel; anything else never reaches IPC.
    for (const name of REQUEST_NAMES) await api.invoke(name, { probe: name });
    expect(invoked.map(([c]) => c)).toEqual(REQUEST_NAMES.map(requestChannel));
    const before = invoked.length;
    expect(await api.invoke('evil:channel', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await api.invoke('__proto__', {})).toMatchObject({ ok: false });
    expect(invoked.length).toBe(before);

    // Listeners get the payload only (not the IPC event, which exposes the sender), and unsubscribe.
    const got: unknown[] = [];
    const off = api.on(EVENT_NAMES[0], (p) => got.push(p));
    const fake = { sender: { send: () => 'leak' } };
    for (const fn of handlers.get(eventChannel(EVENT_NAMES[0])) ?? []) fn(fake, { batchId: 1 });
    expect(got).toEqual([{ batchId: 1 }]);
    off();
    expect(handlers.get(eventChannel(EVENT_NAMES[0]))?.size).toBe(0);
    api.on('not.an.event', () => undefined);
    expect(handlers.has(eventChannel('not.an.event' as never))).toBe(false);

    expect(api.mediaUrl('thumb', 7)).toBe('scandesk://media/thumb/7');
    expect(api.cropUrl('portrait', 9)).toBe('scandesk://media/crop/portrait/9');
    expect(api.getPathForFile({ path: '/scans/a.png' })).toBe('/scans/a.png');
    expect(api.getPathForFile({})).toBeNull();
  });
});
