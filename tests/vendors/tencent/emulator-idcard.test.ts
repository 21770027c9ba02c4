import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageCodes } from '../../emulators/common/zxing-decode';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/server';
import { SAMPLES, SECRET_ID, SECRET_KEY } from './constants';
import { post } from './signed-post';

/**
 * The emulator's IDCardOCR outputs beyond the fields: real crops of the image sent (the card,
 * the portrait where the card's marker sits), ReflectDetailInfos, the Advanced-only warnings,
 * front and back read together with MultiCardDetect, and EnableRecognitionRectify. The
 * product's ID-card features are tested against exactly these answers.
 */
const FRONT_QR = `${SAMPLES}/zxing/qrcode-3/01.png`;
const BACK_QR = `${SAMPLES}/zxing/qrcode-2/1.png`;
const text = (p: string): string => readFileSync(p.replace(/\.png$/, '.txt'), 'utf8');

/** A photo 1200x900: a dark table, a light card at (100,120) 1000x630 with the marker QR on its right. */
async function cardPhoto(qrPath: string, second?: string): Promise<string> {
  const qr = await sharp(qrPath).resize(300, 300, { fit: 'inside', kernel: 'nearest' }).flatten({ background: '#ffffff' }).toBuffer();
  const card = await sharp({ create: { width: 1000, height: 630, channels: 3, background: '#eef3f8' } })
    .composite([{ input: qr, left: 650, top: 160 }])
    .png()
    .toBuffer();
  const layers = [{ input: card, left: 100, top: 120 }];
  if (second) {
    const qr2 = await sharp(second).resize(200, 200, { fit: 'inside', kernel: 'nearest' }).flatten({ background: '#ffffff' }).toBuffer();
    layers.push({ input: qr2, left: 150, top: 200 });
  }
  const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#303030' } }).composite(layers).png().toBuffer();
  return photo.toString('base64');
}

const FRONT = {
  marker: text(FRONT_QR),
  side: 'FRONT' as const,
  fields: { Name: '李明', Sex: '男', Nation: '汉', Birth: '1987/1/1', Address: '北京市石景山区高新技术园腾讯大楼', IdNum: '440524198701010014' },
  unrectifiedFields: { IdNum: '44052419870101001X', Birth: '1987/1/11' },
  warnings: [-9102, -9107, -9110, -9111],
  cardBox: { left: 100 / 1200, top: 120 / 900, width: 1000 / 1200, height: 630 / 900 },
  reflections: ['Portrait' as const, 'RecognitionField' as const],
};
const BACK = { marker: text(BACK_QR), side: 'BACK' as const, fields: { Authority: '深圳市公安局南山分局', ValidDate: '2017.08.12-2037.08.12' }, warnings: [-9109] };

describe('Tencent emulator: IDCardOCR crops, reflections and the rest of AdvancedInfo', () => {
  let emu: TencentEmulator;
  let photo: string;
  beforeAll(async () => {
    emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, cards: [FRONT, BACK] });
    photo = await cardPhoto(FRONT_QR);
  });
  afterAll(() => emu.close());

  it('CropIdCard cuts the card out of the photo; CropPortrait cuts the portrait, which holds the marker', async () => {
    const r = await post(emu, 'IDCardOCR', { ImageBase64: photo, Config: JSON.stringify({ CropIdCard: true, CropPortrait: true }) });
    expect(r.Error).toBeUndefined();
    const info = JSON.parse(r.AdvancedInfo as string) as { IdCard: string; Portrait: string };
    const cardCrop = Buffer.from(info.IdCard, 'base64');
    expect(await sharp(cardCrop).metadata()).toMatchObject({ format: 'jpeg', width: 1000, height: 630 });
    // The table is gone: the crop's corner is the card's light colour, not the dark table.
    const { data } = await sharp(cardCrop).extract({ left: 2, top: 2, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);

    const portrait = Buffer.from(info.Portrait, 'base64');
    const meta = await sharp(portrait).metadata();
    // The portrait is a small part of the card (the marker's box), not the card or the photo.
    expect(meta.width).toBeLessThan(400);
    expect(meta.width).toBeGreaterThan(100);
    const inPortrait = await decodeImageCodes(portrait, { formats: ['QRCode'], tryHarder: true });
    expect(inPortrait.results.map((x) => x.text)).toEqual([FRONT.marker]);
  });

  it('no crops unless asked; the back side has no portrait', async () => {
    const plain = await post(emu, 'IDCardOCR', { ImageBase64: photo });
    expect(JSON.parse(plain.AdvancedInfo as string)).toEqual({ WarnInfos: [] });
    const back = await post(emu, 'IDCardOCR', { ImageBase64: await cardPhoto(BACK_QR), Config: JSON.stringify({ CropPortrait: true, CropIdCard: true }) });
    const info = JSON.parse(back.AdvancedInfo as string) as Record<string, unknown>;
    expect(typeof info.IdCard).toBe('string');
    expect(info.Portrait).toBeUndefined();
  });

  it('ReflectDetailInfos only with ReflectWarn and EnableReflectDetail both on', async () => {
    const both = await post(emu, 'IDCardOCR', { ImageBase64: photo, Config: JSON.stringify({ ReflectWarn: true }), EnableReflectDetail: true });
    expect(both.ReflectDetailInfos).toEqual([{ Position: 'Portrait' }, { Position: 'RecognitionField' }]);
    expect(JSON.parse(both.AdvancedInfo as string).WarnInfos).toEqual([-9107]);
    const flagOnly = await post(emu, 'IDCardOCR', { ImageBase64: photo, Config: JSON.stringify({ ReflectWarn: true }) });
    expect(flagOnly.ReflectDetailInfos).toEqual([]);
    const detailOnly = await post(emu, 'IDCardOCR', { ImageBase64: photo, EnableReflectDetail: true });
    expect(detailOnly.ReflectDetailInfos).toEqual([]);
  });

  it('-9110 and -9111 come with DetectPsWarn only when CardWarnType is Advanced; a bad CardWarnType is refused', async () => {
    const basic = await post(emu, 'IDCardOCR', { ImageBase64: photo, Config: JSON.stringify({ DetectPsWarn: true, CopyWarn: true }) });
    expect(JSON.parse(basic.AdvancedInfo as string).WarnInfos).toEqual([-9102]);
    const advanced = await post(emu, 'IDCardOCR', { ImageBase64: photo, Config: JSON.stringify({ DetectPsWarn: true }), CardWarnType: 'Advanced' });
    expect(JSON.parse(advanced.AdvancedInfo as string).WarnInfos).toEqual([-9110, -9111]);
    const bad = await post(emu, 'IDCardOCR', { ImageBase64: photo, CardWarnType: 'Everything' });
    expect(bad.Error?.Code).toBe('InvalidParameterValue.InvalidParameterValueLimit');
  });

  it('MultiCardDetect reads a front and a back in one image together; without it, one side', async () => {
    const twoSides = await cardPhoto(FRONT_QR, BACK_QR);
    const multi = await post(emu, 'IDCardOCR', { ImageBase64: twoSides, Config: JSON.stringify({ MultiCardDetect: true, InvalidDateWarn: true }) });
    expect(multi).toMatchObject({ Name: '李明', IdNum: '440524198701010014', Authority: '深圳市公安局南山分局', ValidDate: '2017.08.12-2037.08.12' });
    expect(JSON.parse(multi.AdvancedInfo as string).WarnInfos).toEqual([-9109]);
    const single = await post(emu, 'IDCardOCR', { ImageBase64: twoSides, CardSide: 'BACK' });
    expect(single).toMatchObject({ Name: '', Authority: '深圳市公安局南山分局' });
  });

  it('EnableRecognitionRectify false answers the fields as printed', async () => {
    const raw = await post(emu, 'IDCardOCR', { ImageBase64: photo, EnableRecognitionRectify: false });
    expect(raw).toMatchObject({ IdNum: '44052419870101001X', Birth: '1987/1/11', Name: '李明' });
    const rectified = await post(emu, 'IDCardOCR', { ImageBase64: photo });
    expect(rectified).toMatchObject({ IdNum: '440524198701010014', Birth: '1987/1/1' });
  });
});
