/**
 * Issue 7, "The desktop app and the browser host can open a shared queue", end to end: a real
 * PostgreSQL cluster, a worker's batch of real images decoded into it, and the browser host in
 * a real Chromium. Settings → Shared queue tests the address and connects; the batch list
 * switches to the queue's batches, one is reviewed (accepted) and exported like a local one.
 * Then the database goes away: the desk says so, shows its own batches again, and they keep
 * working. Screenshots in
 * both languages and themes go to test-results/screenshots/shared-queue-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openProfile } from '../../electron/core/profile';
import { startPostgres, type PgCluster } from '../support/postgres';
import { exportToFolder } from './support/export';
import { shotInEveryLook } from './support/looks';
import { SHOTS, openWorkstation, type Workstation } from './support/workstation';
import { Z } from '../fixtures/samples';

const WAIT = { timeout: 60_000 };
let w: Workstation;
let dir: string;
let pgc: PgCluster;
let queueUrl: string;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  w = await openWorkstation('e2e-queue', {
    db: join('desk', 'profile.db'),
    viewport: { width: 1280, height: 900 },
    refusals: false,
    async prepare({ dir, defer }) {
      pgc = await startPostgres();
      defer(() => pgc.stop());
      queueUrl = await pgc.createDatabase();
      // A scan station submits a batch to the queue and decodes it (a worker's role).
      const mailroom = join(dir, 'mailroom');
      mkdirSync(mailroom);
      for (const f of ['qrcode-2/1.png', 'ean13-1/1.png']) copyFileSync(Z + f, join(mailroom, f.replace('/', '-')));
      mkdirSync(join(dir, 'blobs'));
      const station = await openProfile({ dbPath: join(dir, 'station', 'profile.db'), queue: queueUrl, blobs: join(dir, 'blobs'), engines: { include: ['local'], localJobs: 1 } });
      try {
        const { batch } = await station.service.createBatch({ paths: [mailroom], name: 'Mailroom 7', plan: { engine: 'local', task: 'codes' } });
        await station.service.whenSettled(batch.id);
      } finally {
        await station.close();
      }
    },
    async seed(host, dir) {
      const desk = join(dir, 'desk-pages');
      mkdirSync(desk);
      copyFileSync(Z + 'qrcode-2/2.png', join(desk, 'local.png'));
      const { batch } = await host.service.createBatch({ paths: [desk], name: 'Desk only', plan: { engine: 'local', task: 'codes' } });
      await host.service.whenSettled(batch.id);
    },
    ready: '[data-testid=batch-row]',
  });
  ({ dir, page, pageErrors } = w);
}, 240_000);

afterAll(() => w?.close());

const rowNames = () => page.locator('[data-testid=batch-row] .batch-name').allTextContents();
/** The thumbnails the grid shows (CSS backgrounds), and an image's bytes as the browser's cache answers them. */
const thumbUrls = () =>
  page.$$eval('[data-testid=card] .thumb', (els) => els.map((e) => /url\("(.*)"\)/.exec(e.getAttribute('style') ?? '')?.[1] ?? null));
const cachedBytes = (url: string) => page.evaluate(async (u) => new Uint8Array(await (await fetch(u, { cache: 'force-cache' })).arrayBuffer()).join(','), url);

describe('a desk opens a shared queue', () => {
  it('tests the address, connects, and shows the queue’s batches like its own', async () => {
    await page.click('[data-testid=open-settings]');
    await page.waitForSelector('[data-testid=shared-queue]');
    // A password typed in the address goes to the keychain, never into the desk's files.
    await page.fill('[data-testid=queue-url-input]', queueUrl);
    await page.fill('[data-testid=queue-blobs]', join(dir, 'blobs'));
    await page.click('[data-testid=queue-test]');
    await expect.poll(() => page.locator('[data-testid=queue-tested]').textContent(), WAIT).toContain('Connected to scandesk@');
    expect(await page.locator('[data-testid=queue-tested]').textContent()).toContain('can see the blob folder');
    await shotInEveryLook(page, SHOTS, 'shared-queue-tested');
    await page.click('[data-testid=queue-save]');
    await expect.poll(() => page.locator('[data-testid=queue-state]').textContent(), WAIT).toBe('Connected');
    await page.click('[data-testid=settings-back]');

    expect(await rowNames()).toEqual(['Desk only']);
    // The desk's page 1 and the queue's page 1 are different pages with the same item id: the
    // browser caches the desk's thumbnail first, and must not show it for the queue's page.
    await page.click('[data-testid=batch-row]');
    await expect.poll(async () => (await thumbUrls()).filter(Boolean).length, WAIT).toBe(1);
    const [deskThumb] = await thumbUrls();
    const deskBytes = await cachedBytes(deskThumb!);
    await page.click('[data-testid=show-shared]');
    await expect.poll(rowNames, WAIT).toEqual(['Mailroom 7']);
    await page.click('[data-testid=batch-row]');
    await page.waitForSelector('[data-testid=card]');
    expect(await page.locator('[data-testid=card]').count()).toBe(2);
    await expect.poll(async () => (await thumbUrls()).filter(Boolean).length, WAIT).toBe(2);
    for (const url of await thumbUrls()) expect(await cachedBytes(url!)).not.toBe(deskBytes);
    await shotInEveryLook(page, SHOTS, 'shared-queue-batch');

    // Review like a local batch: accept every code shown.
    await page.click('[data-testid=accept-shown]');
    await expect.poll(() => page.locator('[data-testid=card-review].done').count(), WAIT).toBe(2);
    const out = join(dir, 'exports');
    mkdirSync(out);
    const written = await exportToFolder(page, { format: 'csv', folder: out, acceptedOnly: true });
    expect(written).toMatchObject({ pages: 2, codes: 2 });
    const csv = readFileSync(written.path, 'utf8');
    expect(csv).toContain(readFileSync(Z + 'ean13-1/1.txt', 'utf8').trim());
    expect(csv).toContain('qrcode-2-1.png');
  }, 240_000);

  it('says so when it loses the database, and keeps its own batches working', async () => {
    await pgc.stop();
    await page.waitForSelector('[data-testid=queue-lost]', WAIT);
    expect(await page.locator('[data-testid=queue-lost]').textContent()).toContain('cannot be reached');
    await expect.poll(rowNames, WAIT).toEqual(['Desk only']);
    expect(await page.locator('[data-testid=show-shared]').isDisabled()).toBe(true);
    await page.click('[data-testid=batch-row]');
    await page.waitForSelector('[data-testid=card]');
    await shotInEveryLook(page, SHOTS, 'shared-queue-lost');
    // The local profile still works end to end: its batch exports.
    const written = await exportToFolder(page, { format: 'json', folder: join(dir, 'exports') });
    expect(written.pages).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
