import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanError } from '../../../electron/core/errors';
import { ID_CARD_WARNINGS, maskIdNumber, parseAdvancedInfo } from '../../../electron/core/vendors/tencent/idcard';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/server';
import { SAMPLES, SECRET_ID, SECRET_KEY, cardImage, engineFor, source, tempDir } from './support';

const FRONT_QR = `${SAMPLES}/zxing/qrcode-3/01.png`;
const BACK_QR = `${SAMPLES}/zxing/qrcode-2/1.png`;
const text = (p: string): string => readFileSync(p.replace(/\.png$/, '.txt'), 'utf8');

describe('TencentEngine idcard (IDCardOCR) against the emulator', () => {
  let emu: TencentEmulator;
  const tmp = tempDir();
  let front: string;
  let back: string;
  beforeAll(async () => {
    emu = await startTencentEmulator({
      accounts: { [SECRET_ID]: SECRET_KEY },
      cards: [
        {
          marker: text(FRONT_QR),
          side: 'FRONT',
          fields: { Name: '李明', Sex: '男', Nation: '汉', Birth: '1987/1/1', Address: '北京市石景山区高新技术园腾讯大楼', IdNum: '440524198701010014' },
          warnings: [-9102, -9103],
          quality: 73,
        },
        { marker: text(BACK_QR), side: 'BACK', fields: { Authority: '深圳市公安局南山分局', ValidDate: '2017.08.12-2037.08.12' } },
      ],
    });
    front = await cardImage(tmp.dir, 'front', FRONT_QR);
    back = await cardImage(tmp.dir, 'back', BACK_QR);
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  it('reads the front side into field detections (auto side)', async () => {
    const r = await engineFor(emu).recognize({ source: source(front), task: 'idcard' });
    const byField = Object.fromEntries(r.detections.map((d) => [d.field, d]));
    expect(Object.keys(byField).sort()).toEqual(['Address', 'Birth', 'IdNum', 'Name', 'Nation', 'Sex']);
    expect(byField.Name).toMatchObject({ kind: 'field', symbology: 'IDCard', text: '李明', engine: 'tencent', geometry: { kind: 'none' } });
    expect(byField.IdNum!.text).toBe('440524198701010014');
    expect(byField.IdNum!.extra?.personalData).toBe(true);
    expect(byField.Name!.extra?.card).toMatchObject({ side: 'FRONT', warnings: [] });
    expect(r.pageWidth).toBe(1000);
  });

  it('reads the back side when CardSide is BACK', async () => {
    const r = await engineFor(emu).recognize({ source: source(back), task: 'idcard', options: { cardSide: 'BACK' } });
    expect(r.detections.map((d) => [d.field, d.text])).toEqual([
      ['Authority', '深圳市公安局南山分局'],
      ['ValidDate', '2017.08.12-2037.08.12'],
    ]);
    expect(r.detections[0]!.extra?.card).toMatchObject({ side: 'BACK' });
  });

  it('sends Config flags and decodes WarnInfos into readable labels (en + zh)', async () => {
    const r = await engineFor(emu).recognize({
      source: source(front),
      task: 'idcard',
      options: { config: { CopyWarn: true, Quality: true, CropPortrait: true } },
    });
    const card = r.detections[0]!.extra?.card as { warnings: unknown[]; quality: number; crops: string[] };
    // -9103 (re-shot) is on the card too, but ReshootWarn was not asked for.
    expect(card.warnings).toEqual([{ code: -9102, en: 'Photocopy (colour or black-and-white)', zh: '身份证复印件告警' }]);
    expect(card.quality).toBe(73);
    // The portrait comes back as an image kept with the result, not inside the detections.
    expect(card.crops).toEqual(['portrait']);
    expect(r.images?.map((i) => [i.kind, i.format])).toEqual([['portrait', 'jpeg']]);
    expect(JSON.stringify(r.detections)).not.toContain(r.images![0]!.data.toString('base64').slice(0, 40));
  });

  it('a card side that is not on the image is final for that item (CardSideError)', async () => {
    const e = await engineFor(emu)
      .recognize({ source: source(front), task: 'idcard', options: { cardSide: 'BACK' } })
      .then(() => null, (err: unknown) => err as ScanError);
    expect(e).toMatchObject({ code: 'VENDOR_REJECTED', errorClass: 'final' });
    expect(e!.message).toMatch(/FailedOperation.CardSideError/);
  });

  it('no card on the page is "nothing found"; a tiny image is IdCardTooSmall', async () => {
    const none = await engineFor(emu).recognize({ source: source(`${SAMPLES}/zxing/ean13-1/1.png`), task: 'idcard' });
    expect(none.detections).toEqual([]);
    const small = join(tmp.dir, 'small.png');
    await sharp(FRONT_QR).resize(150).png().toFile(small);
    const e = await engineFor(emu)
      .recognize({ source: source(small), task: 'idcard' })
      .then(() => null, (err: unknown) => err as ScanError);
    expect(e).toMatchObject({ code: 'VENDOR_REJECTED', errorClass: 'final' });
    expect(e!.message).toMatch(/too small/);
  });

  it('rejects unknown Config flags before sending', async () => {
    const e = await engineFor(emu)
      .recognize({ source: source(front), task: 'idcard', options: { config: { CropEverything: true } } })
      .then(() => null, (err: unknown) => err as ScanError);
    expect(e?.code).toBe('INVALID_INPUT');
  });
});

describe('ID card helpers', () => {
  it('masks ID numbers for lists', () => {
    expect(maskIdNumber('440524198701010014')).toBe('440***********0014');
    expect(maskIdNumber('44052419870101X')).toBe('440********101X');
    expect(maskIdNumber('440524198701010014')).not.toContain('19870101');
    expect(maskIdNumber('1234')).toBe('****');
  });

  it('parses AdvancedInfo strings, tolerating garbage', () => {
    expect(parseAdvancedInfo('{"Quality":100,"WarnInfos":[-9104,-9999],"BorderCodeValue":26}')).toMatchObject({
      quality: 100,
      borderCodeValue: 26,
      warnings: [
        { code: -9104, en: 'Temporary ID card', zh: '临时身份证告警' },
        { code: -9999, en: 'Unknown warning -9999' },
      ],
    });
    expect(parseAdvancedInfo('not json').warnings).toEqual([]);
    expect(parseAdvancedInfo(undefined).warnings).toEqual([]);
    // The seed's eight codes and the current page's -9109 (validity date), -9110 (electronic ID), -9111 (watermark).
    expect(Object.keys(ID_CARD_WARNINGS).map(Number).sort((a, b) => a - b)).toEqual([-9111, -9110, -9109, -9108, -9107, -9106, -9105, -9104, -9103, -9102, -9101]);
  });
});
