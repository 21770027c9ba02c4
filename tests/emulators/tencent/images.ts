import { TcError } from './errors';
import { imageSize } from '../common/zxing-decode';

export type Sniffed = 'png' | 'jpeg' | 'bmp' | 'webp' | 'gif' | 'unknown';

export function sniff(bytes: Buffer): Sniffed {
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 6 && bytes.toString('latin1', 0, 3) === 'GIF') return 'gif';
  return 'unknown';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The checks the documents describe, in the order a service would make them: present, within
 * the base64 size limit, valid base64, an accepted format, decodable, not absurdly large.
 */
export async function acceptImage(
  params: Record<string, unknown>,
  limits: { maxBase64: number; formats: Sniffed[]; maxSide: number },
): Promise<{ bytes: Buffer; format: Sniffed; width: number; height: number; base64Length: number }> {
  const url = params.ImageUrl;
  const b64 = params.ImageBase64;
  if (typeof url === 'string' && url.length > 0) {
    // The emulator has no network: an ImageUrl is always a download failure here.
    throw new TcError('FailedOperation.DownLoadError', '文件下载失败。');
  }
  if (typeof b64 !== 'string' || b64.length === 0) {
    throw new TcError('FailedOperation.EmptyImageError', '图片内容为空。');
  }
  if (b64.length > limits.maxBase64) {
    throw new TcError('LimitExceeded.TooLargeFileError', '文件内容太大。');
  }
  if (!BASE64.test(b64)) {
    throw new TcError('InvalidParameter.EngineImageDecodeFailed', '图片解码失败。');
  }
  const bytes = Buffer.from(b64, 'base64');
  const format = sniff(bytes);
  if (!limits.formats.includes(format)) {
    throw new TcError('FailedOperation.ImageDecodeFailed', '图片解码失败。');
  }
  let size: { width: number; height: number };
  try {
    size = await imageSize(bytes);
  } catch {
    throw new TcError('InvalidParameter.EngineImageDecodeFailed', '图片解码失败。');
  }
  if (size.width === 0 || size.height === 0) throw new TcError('InvalidParameter.EngineImageDecodeFailed', '图片解码失败。');
  if (Math.max(size.width, size.height) > limits.maxSide) {
    throw new TcError('FailedOperation.ImageSizeTooLarge', '图片尺寸过大，请参考输出参数中关于图片大小限制的说明。');
  }
  return { bytes, format, ...size, base64Length: b64.length };
}
