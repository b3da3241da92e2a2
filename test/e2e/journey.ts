import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type Browser, openBrowser, SHOTS_DIR } from './browser.js';
import { apiSession, createUser, type Session } from './people.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Parc, startParc } from './server.js';

export type Person = { email: string; name: string; password: string };

/**
 * The frame a browser journey file shares: one real Parc for the file, set up through the API by
 * `setup` (what the journey relies on but does not test), browsers opened per test and checked after
 * it (no page error, no answer outside the API contract), and the French login every journey starts with.
 */
export function journey(setup?: (admin: Session, orgId: string, parc: Parc) => Promise<void>) {
  let parc: Parc | undefined;
  const browsers: Browser[] = [];
  beforeAll(async () => {
    parc = await startParc();
    await mkdir(SHOTS_DIR, { recursive: true });
    if (!setup) return;
    const admin = await apiSession(parc.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await setup(admin, admin.me.memberships[0]?.orgId ?? '', parc);
    await admin.ctx.dispose();
  });
  afterAll(async () => {
    await parc?.stop();
  });
  afterEach(async () => {
    const problems = browsers.flatMap((b) => b.problems);
    for (const b of browsers.splice(0)) await b.close();
    expect(problems, 'page errors or answers outside the API contract').toEqual([]);
  });
  const url = () => {
    if (!parc) throw new Error('the journey has not started');
    return parc.url;
  };
  return {
    url,
    /** A person with one role in the organisation, their password already changed. */
    addPerson: (admin: Session, orgId: string, who: Person, role: string) =>
      createUser(admin, url(), orgId, who, role),
    async open(locale = 'fr-FR'): Promise<Page> {
      const browser = await openBrowser({ locale });
      browsers.push(browser);
      return browser.page;
    },
    /**
     * Logs in from the login page (in the browser's French) and waits for the home page's greeting, in
     * French or in the language saved on the account.
     */
    async logIn(page: Page, who: { email: string; password: string; name?: string } = ADMIN) {
      await page.goto(url());
      await page.getByRole('heading', { name: 'Connexion' }).waitFor();
      await page.getByLabel(/^Adresse e-mail/).fill(who.email);
      await page.getByLabel(/^Mot de passe/).fill(who.password);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      const greeting = who.name ? new RegExp(`^(Bonjour|Hello), ${who.name}$`) : /^(Bonjour|Hello)\b/;
      await page.getByRole('heading', { name: greeting }).waitFor();
    },
  };
}

export const ADMIN = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD };

export const nav = (page: Page) =>
  page.getByRole('navigation', { name: /^(Navigation principale|Main navigation)$/ });

/** Opens a Mantine select, types to search, and picks the option. */
export async function pick(page: Page, input: Locator, search: string, option: string | RegExp) {
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option }).click();
}

/** The cells of a table row, as the person reads them. */
export async function cells(row: Locator): Promise<string[]> {
  return (await row.getByRole('cell').allInnerTexts()).map((x) => x.replace(/\s*\n\s*/g, '\n').trim());
}
