import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const SHOTS_DIR = '/tmp/parc-shots';

export type Browser = {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors and answers outside the API contract seen so far. */
  problems: string[];
  close: () => Promise<void>;
};

/** Debian's Chromium with a fresh profile: no cookies, no stored language. */
export async function openBrowser({ locale = 'fr-FR' }: { locale?: string } = {}): Promise<Browser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'parc-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    locale,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (
      msg.type() === 'error' &&
      (text.includes('outside its schema') || text.includes('Content Security Policy'))
    ) {
      problems.push(`console: ${text}`);
    }
  });
  return {
    page,
    context,
    problems,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
