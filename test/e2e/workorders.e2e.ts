import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, SHOTS_DIR } from './browser.js';
import { createUser as addUser, apiSession as openSession } from './people.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Parc, startParc } from './server.js';

/**
 * A work order in French, from the browser: a technician creates it (the store has one mouse: asking
 * for two shows what is available and the lead time), gives it a technician and a time, plans and
 * starts it, runs a TCP test against a
 * real server on loopback, ticks the checklist, completes it with the configuration applied, and
 * downloads the intervention report.
 */

let parc: Parc;
let peer: Server;
let peerPort = 0;
const browsers: Browser[] = [];

const TECHNICIAN = {
  email: 'ines.moreau@example.test',
  name: 'Inès Moreau',
  password: 'Ines-Password-2024!',
};
const SITE = 'Agence de Lille';
const STORE = 'Réserve Lille';
const MOUSE = 'Souris sans fil';

beforeAll(async () => {
  parc = await startParc();
  await mkdir(SHOTS_DIR, { recursive: true });
  peer = createServer((s) => s.end());
  await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
  peerPort = (peer.address() as { port: number }).port;
  const admin = await openSession(parc.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  const orgId = admin.me.memberships[0]?.orgId ?? '';
  await addUser(admin, parc.url, orgId, TECHNICIAN, 'technician');
  // What the journey relies on but does not test: a site, a store room holding one mouse.
  const site = await admin.call<{ id: string }>('POST', '/locations', { orgId, kind: 'site', name: SITE });
  const store = await admin.call<{ id: string }>('POST', '/stock/locations', {
    orgId,
    locationId: site.id,
    name: STORE,
  });
  const mouse = await admin.call<{ id: string }>('POST', '/stock/articles', {
    orgId,
    name: MOUSE,
    leadTimeDays: 3,
  });
  await admin.call('POST', '/stock/movements', {
    kind: 'in',
    articleId: mouse.id,
    toLocationId: store.id,
    quantity: 1,
  });
  await admin.ctx.dispose();
});
afterAll(async () => {
  peer?.close();
  await parc?.stop();
});
afterEach(async () => {
  const problems = browsers.flatMap((b) => b.problems);
  for (const b of browsers.splice(0)) await b.close();
  expect(problems, 'page errors or answers outside the API contract').toEqual([]);
});

async function pick(page: Page, input: Locator, search: string, option: string | RegExp) {
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option }).click();
}

describe('work orders', () => {
  it('a technician creates, reserves, tests on loopback, checks, completes and downloads the report', async () => {
    const browser = await openBrowser({ locale: 'fr-FR' });
    browsers.push(browser);
    const page = browser.page;
    await page.goto(parc.url);
    await page.getByLabel(/^Adresse e-mail/).fill(TECHNICIAN.email);
    await page.getByLabel(/^Mot de passe/).fill(TECHNICIAN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: `Bonjour, ${TECHNICIAN.name}` }).waitFor();

    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Interventions' })
      .click();
    await page.getByText('Aucune intervention ne correspond à ces filtres.').waitFor();
    await page.getByRole('button', { name: 'Nouvelle intervention' }).first().click();
    const form = page.getByRole('dialog', { name: 'Nouvelle intervention' });
    await form.getByLabel(/^Titre/).fill('Poste de Paul');
    await pick(page, form.getByRole('combobox', { name: 'Site ou lieu' }), 'Lille', SITE);
    await pick(page, form.getByRole('combobox', { name: 'Réserver depuis' }), 'Lille', STORE);
    await form.getByRole('button', { name: 'Ajouter un élément' }).click();
    await pick(page, form.getByRole('combobox', { name: 'Élément' }), 'Souris', MOUSE);
    await form.getByText('1 disponible', { exact: true }).waitFor();
    await form.getByRole('textbox', { name: 'Quantité' }).fill('2');
    await form.getByLabel(/^Autres vérifications/).fill('Photo du bureau');
    await form.getByRole('button', { name: 'Créer et réserver' }).click();
    // One mouse only: what is available and when more would come, and nothing created.
    const shortage = form.getByRole('alert').filter({ hasText: 'Stock insuffisant' });
    await expect
      .poll(() => shortage.textContent())
      .toMatch(/Seulement 1 disponible\(s\) pour 2 .*Délai fournisseur : 3 jour/s);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'work-order-shortage-fr.png'), fullPage: true });
    await form.getByRole('textbox', { name: 'Quantité' }).fill('1');
    await form.getByRole('button', { name: 'Créer et réserver' }).click();

    await page.getByRole('heading', { name: 'WO-000001' }).waitFor();
    const items = page.getByRole('table', { name: 'Matériel à installer' });
    await expect
      .poll(() => items.getByRole('row').nth(1).textContent())
      .toMatch(/Souris sans fil\s*1\s*Réservé/i);
    // Planning needs a technician and a time: given afterwards, through the edit dialog (If-Match).
    await page.getByRole('button', { name: 'Modifier' }).click();
    const edit = page.getByRole('dialog', { name: 'Modifier' });
    await expect.poll(() => edit.getByLabel(/^Titre/).inputValue()).toBe('Poste de Paul');
    await pick(page, edit.getByRole('combobox', { name: 'Technicien' }), 'Inès', /Inès Moreau/);
    await edit.getByLabel('Début prévu').fill('2030-03-04T09:00');
    await edit.getByLabel('Fin prévue').fill('2030-03-04T11:00');
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    // The page shows the saved schedule once it has the new version (the next step sends it).
    await page.getByText(/4 mars 2030, 09:00/).waitFor();
    await page.getByRole('button', { name: 'Planifier' }).click();
    await page.getByRole('button', { name: 'Démarrer' }).click();
    await page.getByText('En cours', { exact: true }).waitFor();

    // The address is known on site: the TCP test is added then, with its mandatory check.
    await page.getByRole('button', { name: 'Ajouter un test' }).click();
    await page.getByRole('textbox', { name: 'Hôte' }).fill('127.0.0.1');
    await page.getByRole('textbox', { name: 'Port' }).fill(String(peerPort));
    await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await page.getByRole('checkbox', { name: /Test réussi : TCP 127\.0\.0\.1/ }).waitFor();
    await page.getByRole('button', { name: 'Lancer les tests' }).click();
    const tests = page.getByRole('table', { name: 'Tests de validation' });
    await expect.poll(() => tests.getByRole('row').nth(1).textContent()).toMatch(/réussi/i);
    await expect
      .poll(() => page.getByRole('checkbox', { name: /Test réussi : TCP 127\.0\.0\.1/ }).isChecked())
      .toBe(true);
    // Each run is kept: the test's history shows who ran it.
    await tests.getByRole('button', { name: /TCP 127\.0\.0\.1/ }).click();
    await expect.poll(() => tests.textContent()).toMatch(/Réussi.*Inès Moreau.*127\.0\.0\.1/s);
    await page.getByRole('checkbox', { name: /Photo du bureau/ }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: /Photo du bureau/ }).isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Terminer', exact: true }).click();
    const done = page.getByRole('dialog', { name: 'Terminer' });
    await done.getByLabel('Nom d’hôte').fill('pc-paul');
    await done.getByLabel('Adresse IP').fill('10.20.0.15');
    await done.getByLabel('VLAN').fill('20');
    await done.getByRole('button', { name: 'Terminer l’intervention' }).click();
    await page.getByText('Terminée', { exact: true }).waitFor();
    await expect.poll(() => items.getByRole('row').nth(1).textContent()).toMatch(/Utilisé/i);

    await page.screenshot({ path: path.join(SHOTS_DIR, 'work-order-done-fr.png'), fullPage: true });
    const link = page.getByRole('link', { name: 'Rapport d’intervention (PDF)' });
    const href = await link.getAttribute('href');
    const pdf = await page.request.get(new URL(href ?? '', parc.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(pdf.headers()['content-disposition']).toContain('rapport-intervention-WO-000001.pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
