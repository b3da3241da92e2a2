import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, SHOTS_DIR } from './browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Parc, startParc } from './server.js';

const TECH = { email: 'technicienne@example.test', password: 'e2e-Technicienne-2024!' };

let parc: Parc;
let browser: Browser;

/** Signs in through the API, as a script would: the cookie and the CSRF proof. */
async function apiSession(email: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${parc.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

async function call(headers: Record<string, string>, method: string, url: string, body?: object) {
  const res = await fetch(`${parc.url}/api/v1${url}`, {
    method,
    headers,
    ...(body && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

beforeAll(async () => {
  parc = await startParc();
  await mkdir(SHOTS_DIR, { recursive: true });
  // A technician of the home organisation, whose first password is already changed.
  const admin = await apiSession(ADMIN_EMAIL, ADMIN_PASSWORD);
  const me = (await call(admin, 'GET', '/me')) as { memberships: Array<{ orgId: string }> };
  const first = `${TECH.password}-first`;
  await call(admin, 'POST', '/users', {
    email: TECH.email,
    displayName: 'Camille Technicienne',
    password: first,
    orgId: me.memberships[0]!.orgId,
    roles: ['technician'],
  });
  const tech = await apiSession(TECH.email, first);
  await call(tech, 'POST', '/me/password', { currentPassword: first, newPassword: TECH.password });
});
afterAll(async () => {
  await parc?.stop();
});
beforeEach(async () => {
  browser = await openBrowser({ locale: 'fr-FR' });
});
afterEach(async () => {
  const problems = browser.problems;
  await browser.close();
  expect(problems, 'page errors or answers outside the API contract').toEqual([]);
});

async function logIn(page: Page) {
  await page.goto(parc.url);
  await page.getByRole('heading', { name: 'Connexion' }).waitFor();
  await page.getByLabel(/^Adresse e-mail/).fill(TECH.email);
  await page.getByLabel(/^Mot de passe/).fill(TECH.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: /^Bonjour/ }).waitFor();
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });

describe('knowledge base', () => {
  it('a technician writes a procedure, publishes it, and finds it again by an accent-free search', async () => {
    const { page } = browser;
    await logIn(page);
    await nav(page).getByRole('link', { name: 'Base de connaissances' }).click();
    await page.getByRole('heading', { name: 'Base de connaissances' }).waitFor();
    await page.getByText('Aucune fiche pour l’instant').waitFor();

    // Writing: a draft first.
    await page.getByRole('link', { name: 'Nouvelle fiche' }).first().click();
    await page.getByRole('heading', { name: 'Nouvelle fiche de procédure' }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Organisation' }).inputValue()).toBe('Parc');
    await page.getByLabel(/^Titre/).fill('Écran noir après la mise en veille');
    await page.getByLabel(/^Symptômes/).fill('L’écran reste noir au réveil ; la souris bouge le curseur.');
    await page.getByLabel(/^Cause/).fill('Pilote graphique trop ancien.');
    await page
      .getByLabel(/^Étapes de résolution/)
      .fill(
        '1. Ouvrir le **Gestionnaire de périphériques**\n2. Mettre à jour le pilote de la carte graphique\n3. Redémarrer avec `shutdown /r /t 0`',
      );
    await page.getByRole('tab', { name: 'Aperçu' }).click();
    await page.getByRole('tabpanel').getByRole('listitem').first().waitFor();
    await expect(page.getByRole('tabpanel').getByRole('listitem').count()).resolves.toBe(3);
    await page.getByRole('tab', { name: 'Rédiger' }).click();
    await page.getByRole('combobox', { name: 'Visibilité' }).click();
    await page.getByRole('option', { name: /^Publique/ }).click();
    const tags = page.getByLabel(/^Mots-clés/).and(page.locator('input'));
    await tags.fill('écran');
    await tags.press('Enter');
    await page.screenshot({ path: path.join(SHOTS_DIR, 'kb-editor.png'), fullPage: true });
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();

    await page.getByRole('heading', { name: 'Écran noir après la mise en veille' }).waitFor();
    expect(page.url()).toMatch(/\/kb\/[0-9a-f-]{36}$/);
    await page.getByText('Brouillon', { exact: true }).waitFor();
    // The steps are rendered as a numbered list, the command as code, nothing as raw markup.
    const resolution = page.getByRole('region', { name: 'Étapes de résolution' });
    await expect(resolution.getByRole('listitem').count()).resolves.toBe(3);
    await expect(
      resolution.getByText('Gestionnaire de périphériques').evaluate((e) => e.tagName),
    ).resolves.toBe('STRONG');
    await expect(resolution.getByText('**').count()).resolves.toBe(0);

    // Publishing makes version 2.
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByText('Publiée', { exact: true }).waitFor();
    const history = page.getByRole('region', { name: 'Historique des versions' });
    await history.getByText('Version 2').waitFor();
    await expect(history.getByText('Version 1').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'kb-article.png'), fullPage: true });

    // Found again without accents or capitals, from the list.
    await page.getByRole('link', { name: 'Retour à la base de connaissances' }).click();
    await page.getByRole('heading', { name: 'Base de connaissances' }).waitFor();
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('ecran VEILLE');
    await expect.poll(() => page.url()).toContain('q=ecran+VEILLE');
    const results = page.getByRole('region', { name: 'Fiches trouvées' });
    await results.getByRole('link', { name: 'Écran noir après la mise en veille' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'kb-search.png'), fullPage: true });
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('imprimante');
    await page.getByText('Aucune fiche ne correspond à « imprimante »', { exact: false }).waitFor();
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('ecran');
    await results.getByRole('link', { name: 'Écran noir après la mise en veille' }).click();

    // An edit with a version note, then the previous title put back by restoring version 2.
    await page.getByRole('heading', { name: 'Écran noir après la mise en veille' }).waitFor();
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.getByRole('heading', { name: 'Modifier la fiche' }).waitFor();
    await expect
      .poll(() => page.getByLabel(/^Titre/).inputValue())
      .toBe('Écran noir après la mise en veille');
    await page.getByLabel(/^Titre/).fill('Écran noir au réveil');
    await page.getByLabel(/^Note de version/).fill('Titre plus court');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('heading', { name: 'Écran noir au réveil' }).waitFor();
    await history.getByText('Version 3').waitFor();
    await history.getByText('Titre plus court').waitFor();

    await page.getByRole('button', { name: 'Voir la version 2' }).click();
    const version = page.getByRole('dialog', { name: 'Version 2' });
    await version.getByRole('heading', { name: 'Écran noir après la mise en veille' }).waitFor();
    await version.getByRole('button', { name: 'Restaurer cette version' }).click();
    const restore = page.getByRole('dialog', { name: 'Restaurer la version 2' });
    await restore.getByRole('button', { name: 'Restaurer cette version' }).click();
    await restore.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'Écran noir après la mise en veille' }).waitFor();
    await history.getByText('Version 4').waitFor();
    await history.getByText('Retour à la version 2').waitFor();
    await expect(page.getByText('Publiée', { exact: true }).isVisible()).resolves.toBe(true);
  });
});
