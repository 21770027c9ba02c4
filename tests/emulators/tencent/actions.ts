import sharp from 'sharp';
import { decodeImageCodes } from '../common/zxing-decode';
import { TcError } from './errors';
import { acceptImage } from './images';
import type { CardFixture, EmulatorOptions } from './types';

/** zxing-wasm format (and its sub-formats) -> Tencent TypeName, for what QrcodeOCR documents. */
export function tencentTypeName(format: string): string | null {
  if (format.startsWith('QRCode')) return 'QR_CODE';
  if (format === 'EAN13' || format === 'ISBN') return 'EAN-13';
  if (format === 'EAN8') return 'EAN-8';
  if (format === 'UPCA') return 'UPC-A';
  if (format === 'UPCE') return 'UPC-E';
  if (format.startsWith('Code39')) return 'CODE-39';
  if (format === 'Code93') return 'CODE-93';
  if (format === 'Code128') return 'CODE-128';
  if (format === 'PDF417' || format === 'CompactPDF417') return 'PDF_417';
  if (format === 'DataMatrix') return 'DATA_MATRIX';
  return null;
}
const READ_FORMATS = ['QRCode', 'EANUPC', 'Code39', 'Code93', 'Code128', 'PDF417', 'DataMatrix'];
/** Tencent gives corners for 2-D symbols only; 1-D barcodes come back with every corner at -1. */
const WITH_POSITION = new Set(['QR_CODE', 'PDF_417', 'DATA_MATRIX']);
const NO_POSITION = { X: -1, Y: -1 };

export const MIB = 1024 * 1024;
export const QRCODE_REGIONS = ['ap-beijing', 'ap-guangzhou'];
export const QUERYBARCODE_REGIONS = ['ap-beijing', 'ap-guangzhou', 'ap-hongkong', 'ap-shanghai', 'na-toronto'];

type Params = Record<string, unknown>;
interface Ctx {
  region: string | undefined;
  options: EmulatorOptions;
}

export async function qrcodeOcr(params: Params, ctx: Ctx): Promise<Record<string, unknown>> {
  if (!ctx.region || !QRCODE_REGIONS.includes(ctx.region)) {
    throw new TcError('UnsupportedRegion', `QrcodeOCR is not available in region ${ctx.region ?? '(none)'}.`);
  }
  const img = await acceptImage(params, {
    maxBase64: ctx.options.maxBase64?.QrcodeOCR ?? 3 * MIB,
    formats: ['png', 'jpeg'],
    maxSide: ctx.options.maxSide ?? 10000,
  });
  const decoded = await decodeImageCodes(img.bytes, {
    formats: READ_FORMATS as never,
    tryHarder: true,
    tryRotate: true,
    tryInvert: true,
    maxNumberOfSymbols: 64,
  });
  const found = decoded.results
    .map((r) => ({ r, type: tencentTypeName(r.format) }))
    .filter((x): x is { r: (typeof decoded.results)[number]; type: string } => x.type !== null);
  if (found.length === 0) throw new TcError('FailedOperation.ImageNoText', '图片中未检测到文本。');
  const CodeResults = found.map(({ r, type }) => {
    const p = r.position;
    const pos = WITH_POSITION.has(type)
      ? {
          LeftTop: { X: p.topLeft.x, Y: p.topLeft.y },
          RightTop: { X: p.topRight.x, Y: p.topRight.y },
          RightBottom: { X: p.bottomRight.x, Y: p.bottomRight.y },
          LeftBottom: { X: p.bottomLeft.x, Y: p.bottomLeft.y },
        }
      : { LeftTop: NO_POSITION, RightTop: NO_POSITION, RightBottom: NO_POSITION, LeftBottom: NO_POSITION };
    return { TypeName: type, Url: r.text, Position: pos };
  });
  return { CodeResults, ImgSize: { Wide: decoded.width, High: decoded.height } };
}

const CONFIG_KEYS = [
  'CropIdCard',
  'CropPortrait',
  'CopyWarn',
  'BorderCheckWarn',
  'ReshootWarn',
  'DetectPsWarn',
  'TempIdWarn',
  'InvalidDateWarn',
  'Quality',
  'MultiCardDetect',
  'ReflectWarn',
];

/** Which Config flag turns on which WarnInfos code (seed 004, AdvancedInfo). */
const WARN_FLAG: Record<number, string> = {
  [-9101]: 'BorderCheckWarn',
  [-9105]: 'BorderCheckWarn',
  [-9102]: 'CopyWarn',
  [-9108]: 'CopyWarn',
  [-9103]: 'ReshootWarn',
  [-9104]: 'TempIdWarn',
  [-9106]: 'DetectPsWarn',
  [-9107]: 'ReflectWarn',
};

const FRONT_FIELDS = ['Name', 'Sex', 'Nation', 'Birth', 'Address', 'IdNum'];
const BACK_FIELDS = ['Authority', 'ValidDate'];

function parseConfig(raw: unknown): Record<string, boolean> {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') throw new TcError('InvalidParameter.ConfigFormatError', 'Config不是有效的JSON格式。');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new TcError('InvalidParameter.ConfigFormatError', 'Config不是有效的JSON格式。');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TcError('InvalidParameter.ConfigFormatError', 'Config不是有效的JSON格式。');
  }
  const out: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (!CONFIG_KEYS.includes(k) || typeof v !== 'boolean') {
      throw new TcError('InvalidParameter.ConfigFormatError', 'Config不是有效的JSON格式。');
    }
    out[k] = v;
  }
  return out;
}

export async function idCardOcr(params: Params, ctx: Ctx): Promise<Record<string, unknown>> {
  const side = params.CardSide;
  if (side !== undefined && side !== 'FRONT' && side !== 'BACK') {
    throw new TcError('FailedOperation.CardSideError', '身份证CardSide类型错误');
  }
  const config = parseConfig(params.Config);
  const img = await acceptImage(params, {
    maxBase64: ctx.options.maxBase64?.IDCardOCR ?? 10 * MIB,
    formats: ['png', 'jpeg', 'bmp'],
    maxSide: ctx.options.maxSide ?? 10000,
  });
  // A card photo below this is unreadable in practice (the document recommends 500x800+).
  if (Math.min(img.width, img.height) < 200) {
    throw new TcError('FailedOperation.IdCardTooSmall', '图片分辨率过小或身份证在原图中的占比过小');
  }
  const decoded = await decodeImageCodes(img.bytes, { formats: ['QRCode'], tryHarder: true, tryRotate: true });
  const cards: CardFixture[] = [];
  for (const r of decoded.results) {
    const card = ctx.options.cards?.find((c) => c.marker === r.text);
    if (card && !cards.includes(card)) cards.push(card);
  }
  if (cards.length === 0) throw new TcError('FailedOperation.ImageNoIdCard', '图片中未检测到第二代身份证或临时身份证。');
  const sameSide = (s: string): number => cards.filter((c) => c.side === s).length;
  if (sameSide('FRONT') > 1 || sameSide('BACK') > 1) {
    throw new TcError('FailedOperation.MultiCardError', '图片中存在两张及以上同面卡证，请上传卡证单面图片或一正一反双面图片。');
  }
  const card = side ? cards.find((c) => c.side === side) : cards[0];
  if (!card) throw new TcError('FailedOperation.CardSideError', '身份证CardSide类型错误');

  const response: Record<string, unknown> = {};
  for (const f of [...FRONT_FIELDS, ...BACK_FIELDS]) response[f] = '';
  const own = card.side === 'FRONT' ? FRONT_FIELDS : BACK_FIELDS;
  for (const f of own) response[f] = card.fields[f] ?? '';

  const advanced: Record<string, unknown> = {};
  advanced.WarnInfos = (card.warnings ?? []).filter((code) => config[WARN_FLAG[code] ?? ''] === true);
  if (config.Quality) advanced.Quality = card.quality ?? 90;
  if (config.BorderCheckWarn) advanced.BorderCodeValue = card.borderCodeValue ?? 20;
  if (config.CropIdCard) advanced.IdCard = (await sharp(img.bytes).resize(400).jpeg().toBuffer()).toString('base64');
  if (config.CropPortrait) advanced.Portrait = (await sharp(img.bytes).resize(100).jpeg().toBuffer()).toString('base64');
  response.AdvancedInfo = JSON.stringify(advanced);
  response.ReflectDetailInfos = [];
  return response;
}

export async function queryBarCode(params: Params, ctx: Ctx): Promise<Record<string, unknown>> {
  const mode = ctx.options.queryBarCode ?? { mode: 'offline' };
  if (mode.mode === 'offline') throw new TcError('ActionOffline', 'This action has been taken offline.');
  if (mode.mode === 'invalid-action') throw new TcError('InvalidAction', 'The action QueryBarCode does not exist.');
  if (ctx.region && !QUERYBARCODE_REGIONS.includes(ctx.region)) {
    throw new TcError('UnsupportedRegion', `QueryBarCode is not available in region ${ctx.region}.`);
  }
  const code = params.BarCode;
  if (typeof code !== 'string' || !/^\d{8,14}$/.test(code)) {
    throw new TcError('InvalidParameter.InvalidGTINError', 'GTIN 格式错误');
  }
  const gtin14 = code.padStart(14, '0');
  const entry = Object.entries(mode.products).find(([k]) => k.padStart(14, '0') === gtin14);
  return { BarCode: code, ProductDataRecords: entry ? [{ ...entry[1] }] : [] };
}
