import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests } from '../../shared/contract';
import { createHandlers, fileSettingsStore, type DialogProvider, type HandlerTable } from '../../electron/core/api';
import { LiveReader } from '../../electron/core/camera/live-reader';
import { saveCapture } from '../../electron/core/camera/save-capture';
import { ExportHandles } from '../../electron/core/export/handles';
import { RememberedFolder } from '../../electron/core/export/remembered-folder';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { Z } from '../fixtures/samples';

/**
 * Capture from a camera in the desktop app, through the real handler table over a real
 * ScanService (SQLite file, local decoder): a captured frame's bytes (a real photo of a QR code)
 * become a file in the profile that a batch decodes; what is not a PNG/JPEG/WebP, too large, or
 * for a bad session is refused; live frames are read by the local decoder in a worker thread,
 * answering the code's value and corners in the frame's pixels.
 */
let dir: string;
let service: ScanService;
let handlers: HandlerTable;
const live = new LiveReader();
const SESSION = 'cam0session01';
const QR = `${Z}qrcode-5/01.png`;
const QR_TEXT = readFileSync(`${Z}qrcode-5/01.txt`, 'utf8');
const EAN = `${Z}ean13-1/1.png`;
const EAN_TEXT = readFileSync(`${Z}ean13-1/1.txt`, 'utf8').trim();

const dialogs: DialogProvider = {
  openFiles: async () => ({ status: 'cancelled' }),
  openFolder: async () => ({ status: 'cancelled' }),
  saveExport: async () => ({ status: 'cancelled' }),
};

async function call<T>(name: keyof typeof requests, input: unknown): Promise<T> {
  const r = await handlers[name](input as never);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  expect(requests[name].output.safeParse(r.value).success, `${name} answer matches the contract`).toBe(true);
  return r.value as T;
}

async function refusal(name: keyof typeof requests, input: unknown) {
  const r = await handlers[name](input as never);
  expect(r.ok, name).toBe(false);
  return r.ok ? null : r.error;
}

/** A real photo scaled onto a white frame the size a camera gives, in grey, as the renderer sends it. */
async function frameOf(image: string, width = 640, height = 480) {
  const gray = await sharp(image).resize(width, height, { fit: 'contain', background: '#fff' }).flatten({ background: '#fff' }).grayscale().raw().toBuffer();
  expect(gray.length).toBe(width * height);
  return { width, height, grayBase64: gray.toString('base64') };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-camera-'));
  service = await openScanService({ dbPath: join(dir, 'profile', 'scandesk.db') });
  handlers = createHandlers(service, {
    transport: 'electron',
    app: { name: 'ScanDesk', version: '0.0.0-test', dataDir: join(dir, 'profile') },
    settings: fileSettingsStore(join(dir, 'profile', 'settings.json')),
    dialogs,
    exports: { handles: new ExportHandles(), remembered: new RememberedFolder(join(dir, 'profile', 'export-folder.json'), () => dir) },
    live,
  });
}, 60_000);

afterAll(async () => {
  await live.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('captures.save (the desktop app has no upload route)', () => {
  it('keeps a captured PNG in the profile, owner-only, and a batch of its folder decodes it', async () => {
    const png = await sharp(QR).png().toBuffer();
    const saved = await call<{ path: string; folder: string }>('captures.save', { session: SESSION, bytesBase64: png.toString('base64') });
    expect(saved.folder).toBe(join(dir, 'profile', 'captures', SESSION));
    expect(dirname(saved.path)).toBe(saved.folder);
    expect(saved.path).toMatch(/camera-.+\.png$/);
    expect(readFileSync(saved.path).equals(png)).toBe(true);
    expect(statSync(saved.path).mode & 0o777).toBe(0o600);
    expect(statSync(saved.folder).mode & 0o777).toBe(0o700);

    // A JPEG (a frame too large for PNG) is kept as .jpg, in the same folder.
    const jpeg = await sharp(EAN).jpeg({ quality: 95 }).toBuffer();
    const second = await call<{ path: string; folder: string }>('captures.save', { session: SESSION, bytesBase64: jpeg.toString('base64') });
    expect(second.folder).toBe(saved.folder);
    expect(second.path).toMatch(/\.jpg$/);

    const { batch } = await call<{ batch: { id: number } }>('batches.create', { paths: [saved.folder], name: 'Camera', plan: { engine: 'local', task: 'codes' } });
    await service.whenSettled(batch.id);
    const { items } = await service.listItems(batch.id);
    expect(items).toHaveLength(2);
    const texts = (await Promise.all(items.map((i) => service.getItem(i.id)))).flatMap((i) => i.detections.map((d) => d.text));
    expect(texts.sort()).toEqual([EAN_TEXT, QR_TEXT].sort());
  }, 120_000);

  it('refuses bytes that are not a PNG, JPEG or WebP image, whatever they claim', async () => {
    const cases: Array<[string, Buffer]> = [
      ['html', Buffer.from('<html><script>alert(1)</script></html>')],
      ['pdf', Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF')],
      ['gif', await sharp(QR).gif().toBuffer()],
      ['a PNG cut to its signature', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).subarray(0, 6)],
    ];
    for (const [label, bytes] of cases) {
      const before = existsSync(join(dir, 'profile', 'captures', 'cam0refused01')) ? readdirSync(join(dir, 'profile', 'captures', 'cam0refused01')).length : 0;
      const error = await refusal('captures.save', { session: 'cam0refused01', bytesBase64: bytes.toString('base64').padEnd(8, '=') });
      expect(error?.code, label).toMatch(/UNSUPPORTED_FORMAT|INVALID_INPUT/);
      const after = existsSync(join(dir, 'profile', 'captures', 'cam0refused01')) ? readdirSync(join(dir, 'profile', 'captures', 'cam0refused01')).length : 0;
      expect(after, label).toBe(before);
    }
    const html = await refusal('captures.save', { session: 'cam0refused01', bytesBase64: Buffer.from('<html><body>hello</body></html>').toString('base64') });
    expect(html).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(html!.message).toMatch(/PNG, JPEG or WebP/);
  });

  it('refuses a session that could leave the captures folder, and a frame over the size limit', async () => {
    const png = (await sharp(QR).png().toBuffer()).toString('base64');
    for (const session of ['../../etc', 'a/b/c/d/e/f/g', '..', 'short']) {
      expect(await refusal('captures.save', { session, bytesBase64: png }), session).toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(existsSync(join(dir, 'etc'))).toBe(false);
    // Past the contract's bound (20 MB of bytes) the request never reaches the disk.
    const huge = Buffer.alloc(21 * 1024 * 1024);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(huge);
    expect(await refusal('captures.save', { session: SESSION, bytesBase64: huge.toString('base64') })).toMatchObject({ code: 'INVALID_INPUT' });
    // And saveCapture itself holds the same bound (the CLI or another caller).
    await expect(saveCapture(join(dir, 'profile'), SESSION, huge)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('never writes over an earlier frame taken in the same millisecond', async () => {
    const png = await sharp(QR).png().toBuffer();
    const now = new Date('2026-12-06T12:00:00.000Z');
    const a = await saveCapture(join(dir, 'profile'), 'cam0samems01', png, now);
    const b = await saveCapture(join(dir, 'profile'), 'cam0samems01', png, now);
    expect(a.path).not.toBe(b.path);
    expect(readdirSync(a.folder)).toHaveLength(2);
  });
});

describe('camera.readFrame (live outlines)', () => {
  it('reads the code in a live frame and answers its corners around it, in the frame pixels', async () => {
    for (const [image, text] of [
      [QR, QR_TEXT],
      [EAN, EAN_TEXT],
    ] as const) {
      const frame = await frameOf(image);
      const { codes } = await call<{ codes: Array<{ text: string; points: Array<{ x: number; y: number }> }> }>('camera.readFrame', frame);
      const code = codes.find((c) => c.text === text);
      expect(code, `${image}: ${JSON.stringify(codes.map((c) => c.text))}`).toBeDefined();
      expect(code!.points).toHaveLength(4);
      for (const p of code!.points) {
        expect(p.x).toBeGreaterThanOrEqual(-2);
        expect(p.x).toBeLessThanOrEqual(frame.width + 2);
        expect(p.y).toBeGreaterThanOrEqual(-2);
        expect(p.y).toBeLessThanOrEqual(frame.height + 2);
      }
      // The outline has an area (a code, not a point) and covers the code: the pixels inside its
      // box are far darker than the white around the photo.
      const xs = code!.points.map((p) => p.x);
      const ys = code!.points.map((p) => p.y);
      expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(20);
      expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(5);
      const gray = Buffer.from(frame.grayBase64, 'base64');
      let sum = 0;
      let n = 0;
      for (let y = Math.max(0, Math.floor(Math.min(...ys))); y < Math.min(frame.height, Math.ceil(Math.max(...ys))); y++) {
        for (let x = Math.max(0, Math.floor(Math.min(...xs))); x < Math.min(frame.width, Math.ceil(Math.max(...xs))); x++, n++) sum += gray[y * frame.width + x]!;
      }
      expect(sum / n).toBeLessThan(200);
    }
  }, 60_000);

  it('answers no code on a blank frame, and refuses pixels that do not match the size', async () => {
    const blank = { width: 320, height: 240, grayBase64: Buffer.alloc(320 * 240, 255).toString('base64') };
    expect(await call('camera.readFrame', blank)).toEqual({ codes: [] });
    const error = await refusal('camera.readFrame', { width: 320, height: 240, grayBase64: Buffer.alloc(320 * 239).toString('base64') });
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(error!.message).toMatch(/grayBase64/);
    expect(await refusal('camera.readFrame', { width: 4000, height: 240, grayBase64: '' })).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
