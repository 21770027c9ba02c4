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
  // Like the real service with a large image: decode a smaller working copy, and answer its
  // ImgSize and corners in that copy's pixels.
  const work = ctx.options.workingMaxSide;
  const bytes =
    work && Math.max(img.width, img.height) > work ? await sharp(img.bytes).resize(work, work, { fit: 'inside' }).png().toBuffer() : img.bytes;
  const decoded = await decodeImageCodes(bytes, {
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

/**
 * Which Config flag turns on which WarnInfos code (seed 004 and the current IDCardOCR page):
 * -9110 (electronic ID) and -9111 (watermark) come with DetectPsWarn only when CardWarnType is
 * Advanced.
 */
const WARN_FLAG: Record<number, string> = {
  [-9101]: 'BorderCheckWarn',
  [-9105]: 'BorderCheckWarn',
  [-9102]: 'CopyWarn',
  [-9108]: 'CopyWarn',
  [-9103]: 'ReshootWarn',
  [-9104]: 'TempIdWarn',
  [-9106]: 'DetectPsWarn',
  [-9107]: 'ReflectWarn',
  [-9109]: 'InvalidDateWarn',
  [-9110]: 'DetectPsWarn',
  [-9111]: 'DetectPsWarn',
};
const ADVANCED_ONLY = new Set([-9110, -9111]);
const REFLECT_POSITIONS = ['Portrait', 'NationalEmblem', 'RecognitionField', 'Others'];

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

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

type Found = { card: CardFixture; position: { topLeft: { x: number; y: number }; topRight: { x: number; y: number }; bottomRight: { x: number; y: number }; bottomLeft: { x: number; y: number } } };

/** The marker's bounding box, padded by 8 % of its size and kept inside the image. */
function markerBox(found: Found, width: number, height: number): Box {
  const p = found.position;
  const xs = [p.topLeft.x, p.topRight.x, p.bottomRight.x, p.bottomLeft.x];
  const ys = [p.topLeft.y, p.topRight.y, p.bottomRight.y, p.bottomLeft.y];
  const pad = 0.08 * Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  return clampBox({ left: Math.min(...xs) - pad, top: Math.min(...ys) - pad, width: Math.max(...xs) - Math.min(...xs) + 2 * pad, height: Math.max(...ys) - Math.min(...ys) + 2 * pad }, width, height);
}

function clampBox(b: Box, width: number, height: number): Box {
  const left = Math.max(0, Math.min(width - 1, Math.round(b.left)));
  const top = Math.max(0, Math.min(height - 1, Math.round(b.top)));
  return { left, top, width: Math.max(1, Math.min(width - left, Math.round(b.width))), height: Math.max(1, Math.min(height - top, Math.round(b.height))) };
}

async function crop(bytes: Buffer, box: Box): Promise<string> {
  return (await sharp(bytes).extract(box).jpeg({ quality: 90 }).toBuffer()).toString('base64');
}

/**
 * IDCardOCR (seed 004 and the current API page). The crops are real cuts of the image sent:
 * CropIdCard returns the card (`cardBox` of the fixture, as fractions of the image; default
 * the whole image: a card photographed filling the frame), CropPortrait the portrait, which on
 * the emulator's cards is where the marker QR code sits (its bounding box, padded), so a test
 * can decode the portrait crop and find the marker. ReflectDetailInfos lists the fixture's
 * `reflections` when ReflectWarn and EnableReflectDetail are both on. MultiCardDetect reads a
 * front and a back in one image together.
 */
export async function idCardOcr(params: Params, ctx: Ctx): Promise<Record<string, unknown>> {
  const side = params.CardSide;
  if (side !== undefined && side !== 'FRONT' && side !== 'BACK') {
    throw new TcError('FailedOperation.CardSideError', '身份证CardSide类型错误');
  }
  const warnType = params.CardWarnType ?? 'Basic';
  if (warnType !== 'Basic' && warnType !== 'Advanced') {
    throw new TcError('InvalidParameterValue.InvalidParameterValueLimit', 'CardWarnType 参数值错误');
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
  const found: Found[] = [];
  for (const r of decoded.results) {
    const card = ctx.options.cards?.find((c) => c.marker === r.text);
    if (card && !found.some((f) => f.card === card)) found.push({ card, position: r.position });
  }
  if (found.length === 0) throw new TcError('FailedOperation.ImageNoIdCard', '图片中未检测到第二代身份证或临时身份证。');
  const sameSide = (s: string): number => found.filter((f) => f.card.side === s).length;
  if (sameSide('FRONT') > 1 || sameSide('BACK') > 1) {
    throw new TcError('FailedOperation.MultiCardError', '图片中存在两张及以上同面卡证，请上传卡证单面图片或一正一反双面图片。');
  }
  const chosen = side ? found.find((f) => f.card.side === side) : found[0];
  if (!chosen) throw new TcError('FailedOperation.CardSideError', '身份证CardSide类型错误');
  // With MultiCardDetect (and no side asked for), a front and a back in one image are read together.
  const read = config.MultiCardDetect && !side ? found : [chosen];

  const rectify = params.EnableRecognitionRectify !== false;
  const response: Record<string, unknown> = {};
  for (const f of [...FRONT_FIELDS, ...BACK_FIELDS]) response[f] = '';
  for (const { card } of read) {
    const own = card.side === 'FRONT' ? FRONT_FIELDS : BACK_FIELDS;
    const fields = !rectify && card.unrectifiedFields ? { ...card.fields, ...card.unrectifiedFields } : card.fields;
    for (const f of own) response[f] = fields[f] ?? '';
  }

  const cards = read.map((f) => f.card);
  const advanced: Record<string, unknown> = {};
  const warnings = new Set<number>();
  for (const card of cards) {
    for (const code of card.warnings ?? []) {
      if (config[WARN_FLAG[code] ?? ''] !== true) continue;
      if (ADVANCED_ONLY.has(code) && warnType !== 'Advanced') continue;
      warnings.add(code);
    }
  }
  advanced.WarnInfos = [...warnings];
  if (config.Quality) advanced.Quality = Math.min(...cards.map((c) => c.quality ?? 90));
  if (config.BorderCheckWarn) advanced.BorderCodeValue = Math.max(...cards.map((c) => c.borderCodeValue ?? 20));
  if (config.CropIdCard) {
    const b = chosen.card.cardBox ?? { left: 0, top: 0, width: 1, height: 1 };
    advanced.IdCard = await crop(img.bytes, clampBox({ left: b.left * img.width, top: b.top * img.height, width: b.width * img.width, height: b.height * img.height }, img.width, img.height));
  }
  const front = read.find((f) => f.card.side === 'FRONT');
  if (config.CropPortrait && front) advanced.Portrait = await crop(img.bytes, markerBox(front, img.width, img.height));
  response.AdvancedInfo = JSON.stringify(advanced);
  const reflections = config.ReflectWarn && params.EnableReflectDetail === true ? [...new Set(cards.flatMap((c) => c.reflections ?? []))] : [];
  response.ReflectDetailInfos = reflections.filter((p) => REFLECT_POSITIONS.includes(p)).map((Position) => ({ Position }));
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
