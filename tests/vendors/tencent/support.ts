import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { CredentialProvider, VendorCredentials, VendorId } from '../../../electron/core/credentials/types';
import type { ImageSource } from '../../../electron/core/intake/types';
import { TencentEngine, type TencentEngineConfig } from '../../../electron/core/vendors/tencent/engine';
import type { TencentEmulator } from '../../emulators/tencent/server';

import { SECRET_ID, SECRET_KEY } from './constants';

export { SAMPLES, SECRET_ID, SECRET_KEY } from './constants';

/**
 * A CredentialProvider over fixed test secrets: the real interface the engine reads at each
 * call (the keychain-backed one is tested with the keychain).
 */
export class StaticCredentials implements CredentialProvider {
  calls = 0;
  constructor(private creds: { secretId: string; secretKey: string } | null) {}
  set(creds: { secretId: string; secretKey: string } | null): void {
    this.creds = creds;
  }
  async get<V extends VendorId>(vendor: V): Promise<VendorCredentials<V> | null> {
    this.calls++;
    if (vendor !== 'tencent' || !this.creds) return null;
    return { ...this.creds } as unknown as VendorCredentials<V>;
  }
}

export function engineFor(
  emu: TencentEmulator,
  extra: Partial<TencentEngineConfig> = {},
  creds: CredentialProvider = new StaticCredentials({ secretId: SECRET_ID, secretKey: SECRET_KEY }),
): TencentEngine {
  return new TencentEngine({
    credentials: creds,

    endpoint: { endpoint: emu.endpoint, protocol: 'http://', resolveTo: '127.0.0.1' },
    timeoutMs: 5000,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    ...extra,
  });
}

export function source(path: string): ImageSource & { sha256: string } {
  const ext = path.split('.').pop()!.toLowerCase();
  const format = ext === 'jpg' ? 'jpeg' : (ext as ImageSource['format']);
  return { path, page: 1, format, sha256: 'test' };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'scandesk-tencent-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A big noisy "photo" (JPEG) with a real QR sample pasted in at 4x: far over 3 MB as base64,
 * so prepare must shrink it and positions must be mapped back.
 */
export async function bigQrPage(dir: string, qrPath: string, width = 3000, height = 2250): Promise<string> {
  const noise = Buffer.alloc(width * height * 3);
  let s = 12345;
  for (let i = 0; i < noise.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    noise[i] = (s >> 16) & 0xff; // full-range noise: JPEG cannot compress it, so prepare must downscale
  }
  const meta = await sharp(qrPath).metadata();
  const qr = await sharp(qrPath)
    .resize((meta.width ?? 240) * 4, null, { kernel: 'nearest' })
    .flatten({ background: '#ffffff' })
    .toBuffer();
  const out = join(dir, 'big-qr.jpg');
  await sharp(noise, { raw: { width, height, channels: 3 } })
    .composite([{ input: qr, left: 1700, top: 900 }])
    .jpeg({ quality: 95 })
    .toFile(out);
  return out;
}

/** A plain "card": a light rectangle with a real QR sample on it (the emulator's card marker). */
export async function cardImage(dir: string, name: string, qrPath: string): Promise<string> {
  const qr = await sharp(qrPath).resize(300, 300, { fit: 'inside', kernel: 'nearest' }).flatten({ background: '#ffffff' }).toBuffer();
  const out = join(dir, `${name}.png`);
  await sharp({ create: { width: 1000, height: 630, channels: 3, background: '#eef3f8' } })
    .composite([{ input: qr, left: 650, top: 160 }])
    .png()
    .toFile(out);
  return out;
}
