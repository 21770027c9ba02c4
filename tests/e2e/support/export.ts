/**
 * Exports the open batch through the export dialog as the browser host offers it: a new file,
 * named by ScanDesk, in an existing folder typed by the user. Answers what the dialog says was
 * written (its path, pages and codes, from the result panel), after closing the dialog.
 */
import type { Page } from 'playwright-core';

export interface ExportOptions {
  format: 'xlsx' | 'csv' | 'json';
  folder: string;
  acceptedOnly?: boolean;
  revealPersonal?: boolean;
  /** Called as the dialog opens, before anything is changed in it. */
  onOpen?: () => Promise<unknown>;
  /** Called with the filled-in dialog, before Export is pressed (a screenshot, a check). */
  beforeRun?: () => Promise<unknown>;
}

export async function exportToFolder(page: Page, o: ExportOptions): Promise<{ path: string; pages: number; codes: number }> {
  await page.click('[data-testid=export-open]');
  await page.waitForSelector('[data-testid=export-dialog][open] [data-testid=export-destination]');
  await o.onOpen?.();
  await page.check(`[data-testid=format-${o.format}]`);
  if (o.acceptedOnly) await page.check('[data-testid=scope-accepted]');
  if (o.revealPersonal) await page.check('[data-testid=export-reveal-personal]');
  await page.check('[data-testid=dest-folder]');
  await page.fill('[data-testid=export-folder]', o.folder);
  await o.beforeRun?.();
  await page.click('[data-testid=export-run]');
  const result = page.locator('[data-testid=export-result]');
  await result.waitFor();
  const out = {
    path: (await result.getAttribute('data-path')) ?? '',
    pages: Number(await result.getAttribute('data-pages')),
    codes: Number(await result.getAttribute('data-codes')),
  };
  await page.click('[data-testid=export-close]');
  await page.waitForSelector('[data-testid=export-dialog]', { state: 'detached' });
  return out;
}
