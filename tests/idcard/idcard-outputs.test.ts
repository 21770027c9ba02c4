import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaCache, cropSource } from '../../electron/core/api';
import { startHost } from '../../electron/host/server';
import { sessionCookie } from '../host/helpers';
import { answerAppRequest } from '../../electron/main/app-requests';
import { cropPaths } from '../../shared/contract';
import type { CredentialProvider } from '../../electron/core/credentials/types';
import { createEngineRegistry, type EngineRegistry } from '../../electron/core/engines/registry';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { VendorSettingsStore } from '../../electron/core/settings';
import type { IdCardFacts } from '../../shared/idcard';
import { decodeImageCodes } from '../emulators/common/zxing-decode';
import { startTencentEmulator, type TencentEmulator } from '../emulators/tencent/server';
import { CREDS, SAMPLES } from '../integration/support/vendors';

/**
 * Every output of IDCardOCR, through the ScanService and a real SQLite file, against the
 * Tencent emulator: each Config flag sent as asked, decoded warnings and glare positions on the
 * fields, the card and portrait crops kept with the result (the portrait is a real crop: the
 * marker QR code in it still decodes), copied when a stored result is reused, read through the
 * contract, and deleted with the batch; IDCardOCR in a region QrcodeOCR does not serve.
 */
const FRONT_QR = join(SAMPLES, 'zxing/qrcode-3/01.png');
const marker = readFileSync(FRONT_QR.replace(/\.png$/, '.txt'), 'utf8');
let emu: TencentEmulator;
let tmp: string;
let registry: EngineRegistry;
let service: ScanService;
const credentials: CredentialProvider = { get: async (v) => ({ ...CREDS[v] }) as never };

/** A card photo: a light card (left 10 %..90 %) with the real QR sample as the "portrait". */
async function cardPhoto(path: string): Promise<void> {
  const qr = await sharp(FRONT_QR).resize(260, 260, { fit: 'inside', kernel: 'nearest' }).flatten({ background: '#ffffff' }).toBuffer();
  const card = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#eef3f8' } }).composite([{ input: qr, left: 500, top: 120 }]).png().toBuffer();
  await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#556677' } }).composite([{ input: card, left: 100, top: 100 }]).jpeg({ quality: 92 }).toFile(path);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-idcard-'));
  emu = await startTencentEmulator({
    accounts: { [CREDS.tencent.secretId]: CREDS.tencent.secretKey },
    cards: [
      {
        marker,
        side: 'FRONT',
        fields: { Name: '李明', Sex: '男', Nation: '汉', Birth: '1990/1/2', Address: '广东省深圳市南山区科技园路1号', IdNum: '440305199001021234' },
        warnings: [-9102, -9103, -9105, -9107],
        quality: 61,
        borderCodeValue: 44,
        cardBox: { left: 0.1, top: 100 / 700, width: 0.8, height: 500 / 700 },
        reflections: ['Portrait', 'RecognitionField'],
      },
    ],
  });
  const settings = new VendorSettingsStore(join(tmp, 'vendor-settings.json'), {});
  settings.update({ tencent: { endpoint: `http://127.0.0.1:${emu.port}`, timeoutMs: 10_000 } });
  registry = createEngineRegistry({ settings, credentials, include: ['tencent'] });
  service = await openScanService({ dbPath: join(tmp, 'scandesk.db'), engines: registry.engines });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await registry?.close();
  await emu?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const ALL_FLAGS = { CropIdCard: true, CropPortrait: true, CopyWarn: true, BorderCheckWarn: true, ReshootWarn: true, DetectPsWarn: true, TempIdWarn: true, InvalidDateWarn: true, Quality: true, MultiCardDetect: true, ReflectWarn: true };

describe('IDCardOCR: every output reachable', () => {
  let batchId: number;
  let idNum: { id: number; extra?: Record<string, unknown> };

  it('sends every Config flag, parses warnings, quality, border score and glare, keeps the crops', async () => {
    const pages = join(tmp, 'cards');
    mkdirSync(pages);
    await cardPhoto(join(pages, 'front.jpg'));
    const { batch } = await service.createBatch({
      paths: [pages],
      plan: { engine: 'tencent', task: 'idcard', options: { config: ALL_FLAGS, enableReflectDetail: true, cardWarnType: 'Advanced', cardSide: 'FRONT' } },
    });
    batchId = batch.id;
    expect((await service.whenSettled(batch.id)).counts.done).toBe(1);
    const sent = emu.stats.lastParams?.IDCardOCR as Record<string, unknown>;
    expect(JSON.parse(sent.Config as string)).toEqual(ALL_FLAGS);
    expect(sent).toMatchObject({ EnableReflectDetail: true, CardWarnType: 'Advanced', CardSide: 'FRONT' });

    const [item] = (await service.listItems(batch.id)).items;
    const detail = await service.getItem(item!.id);
    idNum = detail.detections.find((d) => d.field === 'IdNum')!;
    const card = idNum.extra!.card as IdCardFacts;
    expect(card.warnings.map((w) => w.code).sort((a, b) => a - b)).toEqual([-9107, -9105, -9103, -9102]);
    expect(card.warnings.find((w) => w.code === -9105)).toMatchObject({ en: 'Something covers part of the card', zh: '身份证框内遮挡告警' });
    expect(card).toMatchObject({ side: 'FRONT', quality: 61, borderCodeValue: 44, reflections: ['Portrait', 'RecognitionField'], crops: ['idcard', 'portrait'] });
    // The crops are not inside the detections (they would travel with every list and export).
    expect(JSON.stringify(detail).length).toBeLessThan(20_000);
  }, 120_000);

  it('serves the crops by detection id on the media route (scandesk: and the host), never cached: the card crop is the card, the portrait still holds the marker', async () => {
    const crops = cropSource(service);
    const ask = (url: string) =>
      answerAppRequest(new Request(url), { rendererDir: tmp, media: createMediaCache({ dir: join(tmp, 'media'), lookup: () => ({ path: '', page: 1 }) }), crops });
    const card = await ask(`scandesk://media/crop/idcard/${idNum.id}`);
    expect(card.status).toBe(200);
    expect(card.headers.get('content-type')).toBe('image/jpeg');
    expect(card.headers.get('cache-control')).toBe('no-store');
    expect(card.headers.get('x-content-type-options')).toBe('nosniff');
    const cardMeta = await sharp(Buffer.from(await card.arrayBuffer())).metadata();
    // The fixture's card box: 800x500 of the 1000x700 photo.
    expect([cardMeta.width, cardMeta.height]).toEqual([800, 500]);
    const portrait = await ask(`scandesk://media/crop/portrait/${idNum.id}`);
    const face = await decodeImageCodes(Buffer.from(await portrait.arrayBuffer()), { formats: ['QRCode'] as never, tryHarder: true });
    expect(face.results.map((r) => r.text)).toEqual([marker]);
    expect((await ask('scandesk://media/crop/idcard/999999')).status).toBe(404);

    // The browser host answers the same address under /media, to its session only.
    const host = await startHost({ dbPath: join(tmp, 'scandesk.db'), service, dataDir: tmp, port: 0, log: () => undefined });
    try {
      const anonymous = await fetch(`http://127.0.0.1:${host.port}${cropPaths.http('idcard', idNum.id)}`);
      expect(anonymous.status).toBe(401);
      const cookie = await sessionCookie(host);
      const viaHost = await fetch(`http://127.0.0.1:${host.port}${cropPaths.http('portrait', idNum.id)}`, { headers: { cookie } });
      expect(viaHost.status).toBe(200);
      expect(viaHost.headers.get('cache-control')).toBe('no-store');
      const again = await decodeImageCodes(Buffer.from(await viaHost.arrayBuffer()), { formats: ['QRCode'] as never, tryHarder: true });
      expect(again.results.map((r) => r.text)).toEqual([marker]);
    } finally {
      await host.close();
    }
  }, 60_000);

  it('a batch that reuses the stored result has its own copy of the crops; deleting a batch deletes its crops', async () => {
    const again = join(tmp, 'again');
    mkdirSync(again);
    copyFileSync(join(tmp, 'cards', 'front.jpg'), join(again, 'same.jpg'));
    const before = emu.stats.requests.IDCardOCR ?? 0;
    const { batch } = await service.createBatch({
      paths: [again],
      plan: { engine: 'tencent', task: 'idcard', options: { config: ALL_FLAGS, enableReflectDetail: true, cardWarnType: 'Advanced', cardSide: 'FRONT' } },
    });
    await service.whenSettled(batch.id);
    expect(emu.stats.requests.IDCardOCR ?? 0).toBe(before); // reused, not sent
    const [item] = (await service.listItems(batch.id)).items;
    const copy = (await service.getItem(item!.id)).detections.find((d) => d.field === 'Name')!;
    expect((await service.detectionImage(copy.id, 'portrait')).data.length).toBeGreaterThan(100);

    const count = () => {
      const db = new Database(join(tmp, 'scandesk.db'), { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM result_images').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(count()).toBe(4);
    await service.deleteBatch(batchId);
    expect(count()).toBe(2);
    await expect(service.detectionImage(idNum.id, 'idcard')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await service.detectionImage(copy.id, 'idcard')).format).toBe('jpeg');
  }, 120_000);

  it('IDCardOCR runs in a region QrcodeOCR does not serve; QrcodeOCR still refuses it clearly', async () => {
    const pages = join(tmp, 'cards');
    const { batch } = await service.createBatch({ paths: [pages], plan: { engine: 'tencent', task: 'idcard', options: { idCardRegion: 'ap-shanghai', cardSide: 'FRONT' } } });
    expect((await service.whenSettled(batch.id)).counts.done).toBe(1);
    expect(emu.stats.lastRegion?.IDCardOCR).toBe('ap-shanghai');
    await expect(
      service.createBatch({ paths: [pages], plan: { engine: 'tencent', task: 'codes', options: { region: 'ap-shanghai' } } }).then((r) => service.whenSettled(r.batch.id)).then(async (b) => (await service.listItems(b.id)).items[0]!.error),
    ).resolves.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/region/) });
  }, 120_000);
});
