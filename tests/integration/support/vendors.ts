import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { startOssEmulator, type OssEmulator } from '../../emulators/alioss/server';
import { startTencentEmulator, type TencentEmulator } from '../../emulators/tencent/server';
import { startWeChatEmulator, type WeChatEmulator } from '../../emulators/wechat/server';
import { SAMPLES } from '../../fixtures/samples';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const BIN = join(ROOT, 'bin', 'scandesk.mjs');
export { SAMPLES };

/**
 * Distinctive test credentials (never real ones). The leak test searches every file and
 * every output for each of them, so they are long and unlike anything else a run writes.
 */
export const CREDS = {
  tencent: { secretId: 'AKIDleakTestTencentId7Q3XfbWm9pV2', secretKey: 'tcKeyLEAKcanary9f8e7d6c5b4a3Zq1' },
  wechat: { appId: 'wx9leaktestapp01', appSecret: 'wxSecretLEAKcanary0a1b2c3d4e5f6g7' },
  alioss: { accessKeyId: 'LTAI5tLeakTestOssKeyId01', accessKeySecret: 'ossSecretLEAKcanaryQwErTy123456Zx' },
} as const;

/** CREDS as the environment variables a headless machine gives them in (the SDKs' own names). */
export const CREDENTIAL_ENV = {
  TENCENTCLOUD_SECRET_ID: CREDS.tencent.secretId,
  TENCENTCLOUD_SECRET_KEY: CREDS.tencent.secretKey,
  SCANDESK_WECHAT_APPID: CREDS.wechat.appId,
  SCANDESK_WECHAT_SECRET: CREDS.wechat.appSecret,
  OSS_ACCESS_KEY_ID: CREDS.alioss.accessKeyId,
  OSS_ACCESS_KEY_SECRET: CREDS.alioss.accessKeySecret,
};

/** Wrong secrets a test stores on purpose (their failures must not leak them either). */
export const WRONG = {
  tencent: 'tcWRONGkeyLEAKcanary000111222333',
  wechat: 'wxWRONGsecretLEAKcanary444555666',
  alioss: 'ossWRONGsecretLEAKcanary77788899',
} as const;

export const BUCKET = 'scandesk-leak-test';
export const OSS_REGION = 'cn-hangzhou';

export interface Emulators {
  tencent: TencentEmulator;
  wechat: WeChatEmulator;
  oss: OssEmulator;
  /** The endpoint variables that point the CLI at them. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The card the Tencent emulator recognises: a page holding a QR code with this text. */
export const CARD = {
  qr: 'zxing/qrcode-2/1.png',
  fields: { Name: '李明', Sex: '男', Nation: '汉', Birth: '1990/1/2', Address: '广东省深圳市南山区科技园路1号', IdNum: '440305199001021234' },
};

export async function startEmulators(): Promise<Emulators> {
  const marker = readFileSync(join(SAMPLES, CARD.qr.replace(/\.png$/, '.txt')), 'utf8');
  const tencent = await startTencentEmulator({
    accounts: { [CREDS.tencent.secretId]: CREDS.tencent.secretKey },
    rateLimits: { QrcodeOCR: 50, IDCardOCR: 50, QueryBarCode: 50 },
    cards: [{ marker, side: 'FRONT', fields: CARD.fields }],
    queryBarCode: { mode: 'offline' },
  });
  const wechat = await startWeChatEmulator({ appId: CREDS.wechat.appId, appSecret: CREDS.wechat.appSecret });
  const oss = await startOssEmulator({ bucket: BUCKET, region: OSS_REGION, ...CREDS.alioss });
  return {
    tencent,
    wechat,
    oss,
    env: {
      SCANDESK_TENCENT_ENDPOINT: `http://127.0.0.1:${tencent.port}`,
      SCANDESK_WECHAT_BASE_URL: wechat.url,
      SCANDESK_ALIOSS_ENDPOINT: oss.endpoint,
    },
    close: async () => {
      await Promise.all([tencent.close(), wechat.close(), oss.close()]);
    },
  };
}

/** The endpoint a vendor's keys must be saved for to be sent to its emulator. */
export function emulatorEndpoint(emu: Emulators, vendor: 'tencent' | 'wechat' | 'alioss'): { endpoint: string } {
  const url = { tencent: emu.env.SCANDESK_TENCENT_ENDPOINT, wechat: emu.env.SCANDESK_WECHAT_BASE_URL, alioss: emu.env.SCANDESK_ALIOSS_ENDPOINT }[vendor];
  return { endpoint: new URL(url!).origin };
}

export interface CliRun {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real CLI as a child process; `input` is piped to its stdin (how credentials are given). */
export function cli(args: string[], env: Record<string, string | undefined>, input = ''): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdin.end(input);
  return new Promise((res, rej) => {
    child.on('error', rej);
    child.on('close', (code) => res({ args, code, stdout, stderr }));
  });
}

/** Copies real samples into `dir` under new names; returns the expected text per copy (null: no code). */
export function copySamples(dir: string, files: Record<string, string>): Record<string, string | null> {
  mkdirSync(dir, { recursive: true });
  const expected: Record<string, string | null> = {};
  for (const [to, from] of Object.entries(files)) {
    const src = join(SAMPLES, from);
    copyFileSync(src, join(dir, to));
    const txt = src.replace(/\.[^.]+$/, '.txt');
    expected[to] = existsSync(txt) ? readFileSync(txt, 'utf8') : null;
  }
  return expected;
}

/** A card photo: a light card with the real QR sample the emulator knows as the card's marker. */
export async function cardPage(path: string): Promise<void> {
  const qr = await sharp(join(SAMPLES, CARD.qr)).resize(300, 300, { fit: 'inside', kernel: 'nearest' }).flatten({ background: '#ffffff' }).toBuffer();
  await sharp({ create: { width: 1000, height: 630, channels: 3, background: '#eef3f8' } })
    .composite([{ input: qr, left: 650, top: 160 }])
    .jpeg({ quality: 92 })
    .toFile(path);
}

export interface JsonExport {
  items: Array<{
    path: string;
    page: number;
    status: string;
    error: { code: string; message: string } | null;
    detections: Array<{ symbology: string; text: string; kind: string; engine: string; field?: string; geometry: { kind: string } }>;
  }>;
}

export function readJson(path: string): JsonExport {
  return JSON.parse(readFileSync(path, 'utf8')) as JsonExport;
}

export function byName(exp: JsonExport): Record<string, JsonExport['items'][number]> {
  return Object.fromEntries(exp.items.map((i) => [i.path.split('/').pop()!, i]));
}
