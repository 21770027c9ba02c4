import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageCodes } from '../emulators/common/zxing-decode';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/server';
import { CARD, CREDS, SAMPLES, cardPage, cli } from '../integration/support/vendors';

/**
 * The ID-card outputs through the real CLI (a child process, credentials from the environment,
 * the Tencent emulator really cropping the card): the flags reach IDCardOCR, every export
 * format carries the card's warnings and its crops' file names, and --crops-out writes those
 * very files, owner-only, as real images (the portrait crop still holds the card's marker).
 */
let emu: TencentEmulator;
let tmp: string;
let env: Record<string, string | undefined>;
const marker = readFileSync(join(SAMPLES, CARD.qr.replace(/\.png$/, '.txt')), 'utf8');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-idcard-cli-'));
  emu = await startTencentEmulator({
    accounts: { [CREDS.tencent.secretId]: CREDS.tencent.secretKey },
    cards: [{ marker, side: 'FRONT', fields: CARD.fields, warnings: [-9102, -9107], cardBox: { left: 0.02, top: 0.03, width: 0.96, height: 0.94 } }],
  });
  env = {
    TENCENTCLOUD_SECRET_ID: CREDS.tencent.secretId,
    TENCENTCLOUD_SECRET_KEY: CREDS.tencent.secretKey,
    SCANDESK_TENCENT_ENDPOINT: `http://127.0.0.1:${emu.port}`,
    DISPLAY: undefined,
  };
  mkdirSync(join(tmp, 'cards'));
  await cardPage(join(tmp, 'cards', 'front.jpg'));
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('scandesk scan: ID-card warnings and crops in the output', () => {
  it('CSV names the warnings and crop files; --crops-out writes them owner-only', async () => {
    const crops = join(tmp, 'crops');
    const flags = ['--engine', 'tencent', '--task', 'idcard', '--id-crop', 'card,portrait', '--id-warn', 'copy,glare', '--db', join(tmp, 'p', 'db.sqlite'), '--yes'];
    const r = await cli(['scan', join(tmp, 'cards'), '--out', join(tmp, 'out.csv'), '--crops-out', crops, ...flags], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(emu.stats.lastParams.IDCardOCR!.Config as string)).toEqual({ CropIdCard: true, CropPortrait: true, CopyWarn: true, ReflectWarn: true });
    expect(r.stderr).toContain(`Created the folder ${crops} for the ID-card crops.`);
    expect(r.stdout).toContain(`ID-card crops: 2 written to ${crops}`);

    const rows = parse(readFileSync(join(tmp, 'out.csv'), 'utf8').replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    const idNum = rows.find((x) => x.field === 'IdNum')!;
    expect(idNum.value).toBe('440***********1234'); // masked by default
    expect(idNum.id_warnings).toBe('Photocopy (colour or black-and-white) [-9102]; Glare on the card [-9107]');
    const names = idNum.id_crops!.split('; ');
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^\d+-front-p1-card\.jpg$/);
    expect(names[1]).toMatch(/^\d+-front-p1-portrait\.jpg$/);
    expect(rows.every((x) => x.id_crops === idNum.id_crops)).toBe(true); // every field row of the card

    expect(readdirSync(crops).sort()).toEqual([...names].sort());
    expect(statSync(crops).mode & 0o777).toBe(0o700);
    for (const n of names) expect(statSync(join(crops, n)).mode & 0o777).toBe(0o600);
    expect(await sharp(join(crops, names[0]!)).metadata()).toMatchObject({ format: 'jpeg', width: 960, height: 592 });
    const face = await decodeImageCodes(readFileSync(join(crops, names[1]!)), { formats: ['QRCode'] as never, tryHarder: true });
    expect(face.results.map((x) => x.text)).toEqual([marker]);
  }, 180_000);

  it('JSON and XLSX carry the same warnings and crop names (stored result, nothing sent again)', async () => {
    const before = emu.stats.requests.IDCardOCR ?? 0;
    const flags = ['--engine', 'tencent', '--task', 'idcard', '--id-crop', 'card,portrait', '--id-warn', 'copy,glare', '--db', join(tmp, 'p', 'db.sqlite'), '--yes'];
    const j = await cli(['scan', join(tmp, 'cards'), '--out', join(tmp, 'out.json'), ...flags], env);
    expect(j.code, j.stderr).toBe(0);
    expect(emu.stats.requests.IDCardOCR ?? 0).toBe(before);
    const json = JSON.parse(readFileSync(join(tmp, 'out.json'), 'utf8')) as {
      items: Array<{ detections: Array<{ field?: string; cropFiles?: string[]; extra?: { card?: { warnings: Array<{ code: number }> } } }> }>;
    };
    const d = json.items[0]!.detections.find((x) => x.field === 'Name')!;
    expect(d.cropFiles).toEqual(readdirSync(join(tmp, 'crops')).sort());
    expect(d.extra!.card!.warnings.map((w) => w.code)).toEqual([-9102, -9107]);

    const x = await cli(['scan', join(tmp, 'cards'), '--out', join(tmp, 'out.xlsx'), ...flags], env);
    expect(x.code, x.stderr).toBe(0);
    const { sheetRows } = await import('../integration/support/xlsx');
    const sheet = await sheetRows(join(tmp, 'out.xlsx'), 'Detections');
    const row = sheet.find((r) => r.Field === 'IdNum')!;
    expect(row['ID warnings']).toBe('Photocopy (colour or black-and-white) [-9102]; Glare on the card [-9107]');
    expect(row['ID crops']).toBe(d.cropFiles!.join('; '));
  }, 180_000);
});
