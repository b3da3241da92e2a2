import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, SHOTS_DIR } from './browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Parc, startParc } from './server.js';

let parc: Parc;
let browser: Browser;

beforeAll(async () => {
  parc = await startParc();
  await mkdir(SHOTS_DIR, { recursive: true });
});
afterAll(async () => {
  await parc?.stop();
});
beforeEach(async () => {
  browser = await openBrowser({ locale: 'fr-FR' });
});
afterEach(async () => {
  const problems = browser.problems;
  await resetAccountLanguage();
  await browser.close();
  expect(problems, 'page errors or answers outside the API contract').toEqual([]);
});

/** The language saved on the account outlives the browser: put it back so each journey starts in French. */
async function resetAccountLanguage() {
  const cookies = await browser.context.cookies(parc.url);
  const csrf = cookies.find((c) => c.name === 'parc_csrf')?.value;
  if (!csrf) return;
  await browser.context.request.patch(`${parc.url}/api/v1/me`, {
    data: { locale: null },
    headers: { 'X-CSRF-Token': decodeURIComponent(csrf) },
  });
}

async function logIn(page: Page, password = ADMIN_PASSWORD) {
  if (!page.url().startsWith(`${parc.url}/login`)) await page.goto(parc.url);
  await page.getByRole('heading', { name: 'Connexion' }).waitFor();
  await page.getByLabel(/^Adresse e-mail/).fill(ADMIN_EMAIL);
  await page.getByLabel(/^Mot de passe/).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

const nav = (page: Page) => page.getByRole('navigation', { name: /Navigation principale|Main navigation/ });

describe('browser journeys', () => {
  it('an administrator logs in and sees the home page with their organisation and role', async () => {
    const { page } = browser;
    await logIn(page);
    await page.getByRole('heading', { name: 'Bonjour, Administrator' }).waitFor();
    expect(page.url()).toBe(`${parc.url}/`);
    const memberships = page.getByRole('region', { name: 'Mes organisations' });
    await expect(memberships.getByText('Parc', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(memberships.getByText('Administrateur', { exact: true }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'home.png'), fullPage: true });
  });

  it('the language switch turns the navigation from French to English and back', async () => {
    const { page } = browser;
    await page.goto(parc.url);
    // On the login page first.
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();

    await logIn(page);
    await nav(page).getByRole('link', { name: 'Utilisateurs' }).waitFor();
    await expect(nav(page).getByRole('link', { name: 'Accueil' }).isVisible()).resolves.toBe(true);

    await page.getByRole('button', { name: 'English' }).click();
    await nav(page).getByRole('link', { name: 'Users' }).waitFor();
    await expect(nav(page).getByRole('link', { name: 'Home' }).isVisible()).resolves.toBe(true);
    await expect(nav(page).getByRole('link', { name: 'Utilisateurs' }).count()).resolves.toBe(0);
    await expect(page.getByRole('heading', { name: 'Hello, Administrator' }).isVisible()).resolves.toBe(true);
    await expect(page.evaluate('document.documentElement.lang')).resolves.toBe('en');

    await page.getByRole('button', { name: 'Français' }).click();
    await nav(page).getByRole('link', { name: 'Utilisateurs' }).waitFor();
    await expect(nav(page).getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
  });

  it('a reload keeps the person signed in and the language they chose', async () => {
    const { page } = browser;
    await logIn(page);
    await page.getByRole('button', { name: 'English' }).click();
    await nav(page).getByRole('link', { name: 'Users' }).waitFor();
    // The browser revalidates the page it has cached: the answer must still carry the page's CSP.
    await page.reload();
    await nav(page).getByRole('link', { name: 'Users' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Hello, Administrator' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Français' }).click();
    await nav(page).getByRole('link', { name: 'Utilisateurs' }).waitFor();
  });

  it('an administrator creates a user and finds it in the list', async () => {
    const { page } = browser;
    await logIn(page);
    await nav(page).getByRole('link', { name: 'Utilisateurs' }).click();
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await page.getByRole('table', { name: 'Utilisateurs' }).waitFor();

    await page.getByRole('button', { name: 'Nouvel utilisateur' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouvel utilisateur' });
    await dialog.getByLabel(/^Adresse e-mail/).fill('Claire.Martin@example.test');
    await dialog.getByLabel(/^Nom affiché/).fill('Claire Martin');
    await expect(dialog.getByLabel(/^Organisation/).inputValue()).resolves.toBe('Parc');
    await dialog.getByRole('button', { name: 'Créer' }).click();

    // No password given: the server generated a temporary one, shown once.
    const secret = page.getByRole('dialog', { name: 'Mot de passe temporaire' });
    await secret.waitFor();
    const temporary = await secret.getByLabel('Mot de passe temporaire').textContent();
    expect(temporary?.trim().length).toBeGreaterThanOrEqual(12);
    await secret.getByRole('button', { name: 'Terminé' }).click();
    await secret.waitFor({ state: 'hidden' });

    const table = page.getByRole('table', { name: 'Utilisateurs' });
    await table.getByText('claire.martin@example.test').waitFor();
    const row = table.getByRole('row').filter({ hasText: 'claire.martin@example.test' });
    await expect(row.getByText('Claire Martin').isVisible()).resolves.toBe(true);
    await expect(row.getByText('Demandeur').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'users.png'), fullPage: true });

    // The search filter asks the server.
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('claire');
    await page.waitForFunction(() => {
      const doc = (
        globalThis as unknown as { document: { querySelectorAll: (s: string) => { length: number } } }
      ).document;
      return doc.querySelectorAll('table tbody tr').length === 1;
    });
  });

  it('a person given a temporary password must change it before anything else, then sees no admin menu', async () => {
    const { page } = browser;
    await logIn(page);
    await nav(page).getByRole('link', { name: 'Utilisateurs' }).click();
    await page.getByRole('button', { name: 'Nouvel utilisateur' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouvel utilisateur' });
    await dialog.getByLabel(/^Adresse e-mail/).fill('paul.durand@example.test');
    await dialog.getByLabel(/^Nom affiché/).fill('Paul Durand');
    await dialog.getByRole('button', { name: 'Créer' }).click();
    const secret = page.getByRole('dialog', { name: 'Mot de passe temporaire' });
    const temporary = ((await secret.getByLabel('Mot de passe temporaire').textContent()) ?? '').trim();
    await secret.getByRole('button', { name: 'Terminé' }).click();

    await page.getByRole('button', { name: 'Menu de Administrator' }).click();
    await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await page.getByLabel(/^Adresse e-mail/).fill('paul.durand@example.test');
    await page.getByLabel(/^Mot de passe/).fill(temporary);
    await page.getByRole('button', { name: 'Se connecter' }).click();

    await page.getByRole('heading', { name: 'Changez votre mot de passe' }).waitFor();
    await expect(page.getByRole('navigation').count()).resolves.toBe(0);
    await page.getByLabel(/^Mot de passe actuel/).fill(temporary);
    await page.getByLabel(/^Nouveau mot de passe/).fill('paul-chose-this-one-42');
    await page.getByLabel(/^Confirmez/).fill('paul-chose-this-one-42');
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();

    await page.getByRole('heading', { name: 'Bonjour, Paul Durand' }).waitFor();
    expect(page.url()).toBe(`${parc.url}/`);
    await expect(nav(page).getByRole('link', { name: 'Accueil' }).isVisible()).resolves.toBe(true);
    await expect(nav(page).getByRole('link', { name: 'Utilisateurs' }).count()).resolves.toBe(0);
    await expect(nav(page).getByText('Administration').count()).resolves.toBe(0);
  });

  it('a wrong password shows the translated error, in French then in English', async () => {
    const { page } = browser;
    await logIn(page, 'not-the-right-password');
    const alert = page.getByRole('alert');
    await alert.getByText('Adresse e-mail ou mot de passe incorrect.').waitFor();
    expect(page.url()).toContain('/login');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel(/^Password/).fill('still-not-the-right-one');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').getByText('Wrong e-mail address or password.').waitFor();
  });
});
