import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RememberedFolder } from '../../electron/core/export/remembered-folder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_NAMES, parseInput, requests, type RequestName } from '../../shared/contract';
import { createHandlers, dispatch, fileSettingsStore, unavailableDialogs, type HandlerTable } from '../../electron/core/api';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { badValues, FUZZ_CASES } from './fuzz-cases';
import { browserDeps } from './support/browser-deps';

/**
 * Every request, through the real handler table over a real ScanService on a temporary SQLite
 * file: malformed payloads come back as INVALID_INPUT naming the field, nothing throws, nothing
 * reaches the database; valid payloads get past validation to the service.
 */
let dir: string;
let service: ScanService;
let handlers: HandlerTable;
const logged: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-ipc-'));
  service = await openScanService({ dbPath: join(dir, 'ipc.db'), engines: [] });
  handlers = createHandlers(service, {
    ...browserDeps(dir),
    log: (m) => logged.push(m),
  });
});

afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

const fieldLabel = (field: string) => new RegExp(`(^|[ :;])${field.replace('.', '\\.')}([:\\[. ]|$)`);

describe('contract coverage', () => {
  it('has fuzz cases for every request, and every valid sample passes its schema', () => {
    expect(Object.keys(FUZZ_CASES).sort()).toEqual([...REQUEST_NAMES].sort());
    expect(Object.keys(requests).sort()).toEqual([...REQUEST_NAMES].sort());
    for (const name of REQUEST_NAMES) {
      const r = parseInput(name, FUZZ_CASES[name].valid);
      expect(r, name).toMatchObject({ ok: true });
    }
  });
});

describe.each(REQUEST_NAMES.map((n) => [n] as [RequestName]))('%s rejects malformed input', (name) => {
  const { valid, fields } = FUZZ_CASES[name];

  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'batches'],
    ['an array', [valid]],
    ['true', true],
  ])('whole input is %s', async (_label, input) => {
    const r = await handlers[name](input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message).toContain(`Invalid input for ${name}`);
    }
  });

  it('an extra field is rejected and named', async () => {
    const r = await handlers[name]({ ...valid, unexpectedField: 1 });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!r.ok) expect(r.error.message).toContain('"unexpectedField"');
  });

  it('prototype-pollution keys are rejected and Object.prototype stays clean', async () => {
    for (const text of [
      `{"__proto__": {"polluted": true}}`,
      `{"constructor": {"prototype": {"polluted": true}}}`,
      `{"prototype": {"polluted": true}}`,
    ]) {
      const input = Object.assign(JSON.parse(text) as object, valid);
      // Object.assign onto a parsed object keeps "__proto__" as an own key.
      const r = await handlers[name](input);
      expect(r, text).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  const fieldCases = Object.entries(fields).flatMap(([field, { kind, required }]) => [
    ...badValues(kind).map(([label, value]) => [field, label, value, false] as const),
    ...(required ? [[field, 'missing', undefined, true] as const] : []),
  ]);
  if (fieldCases.length > 0) {
    it.each(fieldCases.map((c) => [`${c[0]}: ${c[1]}`, c] as const))('%s', async (_title, [field, _label, value, remove]) => {
      const input: Record<string, unknown> = { ...valid };
      if (remove) delete input[field];
      else input[field] = value;
      const r = await handlers[name](input);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('INVALID_INPUT');
        expect(r.error.message).toMatch(fieldLabel(field));
        expect(r.error.message.length).toBeLessThanOrEqual(1000);
      }
    });
  }
});

describe('dispatch', () => {
  it('answers unknown names and non-string names with INVALID_INPUT', async () => {
    for (const name of ['batches.drop', '__proto__', 'constructor', 42, null, { toString: 1 }, 'x'.repeat(10_000)]) {
      const r = await dispatch(handlers, name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!r.ok) expect(r.error.message.length).toBeLessThan(120);
    }
  });
});

describe('valid payloads reach the real service', () => {
  it('no fuzzed request created anything', async () => {
    expect(await handlers['batches.list']({})).toEqual({ ok: true, value: [] });
  });

  it('lookups of missing rows come back NOT_FOUND from the service, not INVALID_INPUT', async () => {
    const calls: Array<[RequestName, unknown]> = [
      ['batches.get', { batchId: 9999 }],
      ['batches.pause', { batchId: 9999 }],
      ['batches.resume', { batchId: 9999 }],
      ['batches.cancel', { batchId: 9999 }],
      ['batches.retryFailed', { batchId: 9999 }],
      ['batches.delete', { batchId: 9999 }],
      ['items.list', { batchId: 9999, filter: 'errors', search: 'x', offset: 0, limit: 10 }],
      ['items.get', { itemId: 9999 }],
      ['detections.review', { detectionId: 9999, review: 'accepted' }],
      ['export.run', { batchId: 9999, format: 'csv', to: { kind: 'download' } }],
      ['export.withDialog', { batchId: 9999, format: 'csv' }],
      ['dialogs.saveExport', { batchId: 9999, format: 'csv' }],
    ];
    for (const [name, input] of calls) {
      const r = await dispatch(handlers, name, input);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('a create the service refuses carries the service error (the plan names an engine this process lacks)', async () => {
    const r = await handlers['batches.create']({ paths: [join(dir, 'nothing.png')], plan: { engine: 'tencent', task: 'idcard' } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message).not.toContain('Invalid input for batches.create');
      expect(r.error.message).toContain('tencent');
    }
  });

  it('app.info, settings and browser dialogs answer', async () => {
    const info = await handlers['app.info']({});
    expect(info).toMatchObject({ ok: true, value: { name: 'ScanDesk', transport: 'browser', capabilities: { nativeDialogs: false } } });
    expect(info.ok && requests['app.info'].output.safeParse(info.value).success).toBe(true);

    expect(await handlers['settings.get']({})).toEqual({ ok: true, value: { language: 'system', theme: 'system' } });
    expect(await handlers['settings.set']({ theme: 'dark' })).toEqual({ ok: true, value: { language: 'system', theme: 'dark' } });
    // A second store over the same file sees the change (it was written to disk).
    expect(fileSettingsStore(join(dir, 'settings.json')).get()).toEqual({ language: 'system', theme: 'dark' });

    for (const name of ['dialogs.openFiles', 'dialogs.openFolder'] as const) {
      const r = await handlers[name]({});
      expect(r).toMatchObject({ ok: true, value: { status: 'unavailable' } });
    }
    // dialogs.saveExport answers 'unavailable' here for a real batch: tests/host/exports.test.ts.
  });

  it('an unexpected failure becomes INTERNAL with a generic message and a local log line', async () => {
    const broken = createHandlers(service, {
      transport: 'browser',
      app: { name: 'ScanDesk', version: '0', dataDir: dir },
      settings: {
        get: () => {
          throw new Error('SQLITE_CORRUPT at /home/secret/path with key=abc123');
        },
        set: () => ({ language: 'en', theme: 'light' }),
      },
      dialogs: unavailableDialogs(),
      exports: { remembered: new RememberedFolder(join(dir, 'export-folder.json'), () => dir) },
      log: (m) => logged.push(m),
    });
    const r = await broken['settings.get']({});
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!r.ok) {
      expect(r.error.message).not.toContain('secret');
      expect(r.error.message).not.toContain('abc123');
      const ref = /ref ([a-z0-9]+)/.exec(r.error.message)?.[1];
      expect(ref).toBeTruthy();
      expect(logged.some((l) => l.includes(`ref ${ref}`))).toBe(true);
    }
  });
});
