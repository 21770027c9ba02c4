import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** The four looks a changed screen is checked in: both languages, both themes. */
export const LOOKS = [
  { locale: 'en', theme: 'light' },
  { locale: 'zh-CN', theme: 'dark' },
  { locale: 'zh-CN', theme: 'light' },
  { locale: 'en', theme: 'dark' },
] as const;

/**
 * Screenshots of what is on screen in every look, through the app's own language and theme
 * choices (the sidebar's selects); leaves the page in English, light. `prepare` runs after each
 * switch (e.g. to wait for text that depends on the language).
 */
export async function shotInEveryLook(page: Page, dir: string, name: string, prepare?: () => Promise<void>): Promise<string[]> {
  const files: string[] = [];
  for (const look of LOOKS) {
    await page.selectOption('[data-testid=language]', look.locale);
    await page.selectOption('[data-testid=theme]', look.theme);
    await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(look.locale)}`);
    await prepare?.();
    const file = join(dir, `${name}-${look.locale}-${look.theme}.png`);
    await page.screenshot({ path: file });
    files.push(file);
  }
  await page.selectOption('[data-testid=language]', 'en');
  await page.selectOption('[data-testid=theme]', 'light');
  return files;
}
