import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesSearched, findSecrets } from './support/find-secrets';

/** The leak search must find a secret in every form it claims to cover, wherever it sits. */
describe('findSecrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scandesk-findsecrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const secret = 'Zq9!sEcReT/+value==42';

  it('finds a secret as text, UTF-16, hex, percent-encoded and inside base64 at any alignment', () => {
    const forms: Record<string, Buffer> = {
      plain: Buffer.from(`x ${secret} y`),
      utf16: Buffer.from(`ab${secret}`, 'utf16le'),
      hex: Buffer.from(`id=${Buffer.from(secret).toString('hex')}`),
      pct: Buffer.from(`q=${encodeURIComponent(secret)}&z`),
    };
    for (let pre = 0; pre < 5; pre++) {
      forms[`b64-${pre}`] = Buffer.from(Buffer.concat([Buffer.from('p'.repeat(pre)), Buffer.from(secret), Buffer.from('tail')]).toString('base64'));
      forms[`b64url-${pre}`] = Buffer.from(Buffer.concat([Buffer.from('k'.repeat(pre)), Buffer.from(secret)]).toString('base64url'));
    }
    mkdirSync(join(dir, 'nested', 'deep'), { recursive: true });
    for (const [name, bytes] of Object.entries(forms)) writeFileSync(join(dir, 'nested', 'deep', `${name}.bin`), bytes);
    writeFileSync(join(dir, 'clean.txt'), 'nothing here but Zq9!sEcReT (a prefix only)');

    const hits = findSecrets({ secrets: { s: secret }, dirs: [dir] });
    const files = new Set(hits.map((h) => h.where.split('/').pop()));
    for (const name of Object.keys(forms)) expect(files, name).toContain(`${name}.bin`);
    expect(files).not.toContain('clean.txt');
    expect(hits.every((h) => !h.where.includes(secret) && h.secret === 's')).toBe(true);
    expect(filesSearched({ dirs: [dir] })).toHaveLength(Object.keys(forms).length + 1);
  });

  it('searches captured text and honours exclusions', () => {
    expect(findSecrets({ secrets: { s: secret }, texts: { stderr: `error: bad key ${secret}` } })).toEqual([
      { where: 'stderr', secret: 's', form: 'utf8' },
    ]);
    expect(findSecrets({ secrets: { s: secret }, dirs: [dir], exclude: (p) => p.includes('nested') })).toEqual([]);
  });
});
