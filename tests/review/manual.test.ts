/**
 * Manual review through the real service and a real SQLite file: a code a reviewer drew where
 * the local decoder found none (a blank scan), its removal (Undo), and "checked, no code here".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { openScanService } from '../../electron/core/service';
import { closeRealEngines, realEngine, realIntake } from '../queue/support/parts';
import { sampleImages } from '../queue/support/samples';
import { tempDir } from '../queue/support/tmp';

const tmp = tempDir('review-manual');
afterAll(async () => {
  await closeRealEngines();
  tmp.cleanup();
});

describe('manual review', () => {
  it('stores a drawn code as an accepted "manual" detection, counts and exports it, and undoes it', async () => {
    const blank = join(tmp.dir, 'blank.png');
    await sharp({ create: { width: 640, height: 480, channels: 3, background: '#ffffff' } }).png().toFile(blank);
    const [qr] = sampleImages('zxing/qrcode-2', 1);
    const svc = await openScanService({ dbPath: join(tmp.dir, 'm.sqlite'), engines: [realEngine()], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: [blank, qr as string], plan: { engine: 'local', task: 'codes' } });
    await svc.whenSettled(batch.id);
    const items = (await svc.listItems(batch.id)).items;
    const empty = items.find((i) => i.path === blank)!;
    const coded = items.find((i) => i.path === qr)!;
    expect(empty).toMatchObject({ status: 'done', detectionCount: 0, checkedNoCode: false });
    expect(coded.detectionCount).toBeGreaterThan(0);
    const codesBefore = (await svc.getBatch(batch.id)).counts.codes;

    const { detection, item } = await svc.addManualDetection(empty.id, { box: { left: 100, top: 50, width: 300, height: 120 }, symbology: 'EAN-13', text: '4006381333931' });
    expect(detection).toMatchObject({ engine: 'manual', kind: 'code', symbology: 'EAN-13', text: '4006381333931', review: 'accepted', itemId: empty.id });
    expect(detection.geometry).toEqual({ kind: 'rect', points: [{ x: 100, y: 50 }, { x: 400, y: 50 }, { x: 400, y: 170 }, { x: 100, y: 170 }] });
    expect(item).toMatchObject({ detectionCount: 1, reviewPending: 0 });
    expect(item.detections.map((d) => d.id)).toEqual([detection.id]);
    expect((await svc.getBatch(batch.id)).counts.codes).toBe(codesBefore + 1);
    // Found by search like any decoded value.
    expect((await svc.listItems(batch.id, { search: '4006381333931' })).items.map((i) => i.id)).toEqual([empty.id]);

    // Exported like an engine's detection, named by its engine, in every format.
    const json = join(tmp.dir, 'out.json');
    await svc.exportBatch({ batchId: batch.id, format: 'json', path: json, acceptedOnly: true });
    const exported = JSON.parse(readFileSync(json, 'utf8')) as { items: Array<{ path: string; detections: Array<{ engine: string; value: string; symbology: string }> }> };
    expect(exported.items.find((i) => i.path === blank)?.detections).toEqual([expect.objectContaining({ engine: 'manual', value: '4006381333931', symbology: 'EAN-13' })]);
    const csv = join(tmp.dir, 'out.csv');
    await svc.exportBatch({ batchId: batch.id, format: 'csv', path: csv });
    expect(readFileSync(csv, 'utf8').split('\n').filter((l) => l.includes('4006381333931') && l.includes('manual'))).toHaveLength(1);

    // A box off the page, and removing an engine's detection, are refused with a reason.
    await expect(svc.addManualDetection(empty.id, { box: { left: 600, top: 0, width: 100, height: 10 }, symbology: 'QRCode', text: 'x' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const engineDetection = (await svc.getItem(coded.id)).detections[0]!;
    await expect(svc.removeManualDetection(engineDetection.id)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('local') });

    // Undo: the page is as it was.
    const after = await svc.removeManualDetection(detection.id);
    expect(after).toMatchObject({ detectionCount: 0, reviewPending: 0, detections: [] });
    expect((await svc.getBatch(batch.id)).counts.codes).toBe(codesBefore);
    await expect(svc.removeManualDetection(detection.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await svc.close();
  });

  it('marks a page "checked, no code here" and takes the mark back; a drawn code clears it', async () => {
    const blank = join(tmp.dir, 'blank2.png');
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#ffffff' } }).png().toFile(blank);
    const svc = await openScanService({ dbPath: join(tmp.dir, 'n.sqlite'), engines: [realEngine()], intake: realIntake });
    const { batch } = await svc.createBatch({ paths: [blank], plan: { engine: 'local', task: 'codes' } });
    await svc.whenSettled(batch.id);
    const [page] = (await svc.listItems(batch.id)).items;
    expect((await svc.setCheckedNoCode(page!.id, true)).checkedNoCode).toBe(true);
    expect((await svc.listItems(batch.id)).items[0]?.checkedNoCode).toBe(true);
    expect((await svc.setCheckedNoCode(page!.id, false)).checkedNoCode).toBe(false);
    await svc.setCheckedNoCode(page!.id, true);
    const { item } = await svc.addManualDetection(page!.id, { box: { left: 0, top: 0, width: 50, height: 50 }, symbology: 'QRCode', text: 'hello' });
    expect(item.checkedNoCode).toBe(false);
    await expect(svc.setCheckedNoCode(9999, true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await svc.close();
  });
});
