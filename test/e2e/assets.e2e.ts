import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS_DIR } from './browser.js';
import { journey, nav } from './journey.js';

const j = journey();

/** Open a Mantine select by its label, type to search, and pick the option. */
async function pick(
  scope: ReturnType<Page['getByRole']>,
  page: Page,
  label: RegExp,
  search: string,
  option: string,
) {
  const input = scope.getByLabel(label);
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option }).click();
}

describe('fleet journeys', () => {
  it('a technician files an asset at a new site, finds it by the site and sees its status change in the history', async () => {
    const page = await j.open();
    await j.logIn(page);

    // A site, from the locations screen.
    await nav(page).getByRole('link', { name: 'Emplacements' }).click();
    await page.getByRole('heading', { name: 'Emplacements' }).waitFor();
    await page.getByRole('button', { name: 'Nouveau site' }).click();
    const siteDialog = page.getByRole('dialog', { name: 'Nouveau site' });
    // The organisation's name shows once the list of organisations has arrived.
    await expect
      .poll(() => siteDialog.getByRole('combobox', { name: 'Organisation' }).inputValue())
      .toBe('Parc');
    await siteDialog.getByLabel(/^Nom/).fill('Siège de Lyon');
    await siteDialog.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { name: 'Siège de Lyon' }).waitFor();
    const siteUrl = page.url();
    expect(siteUrl).toMatch(/\/locations\/[0-9a-f-]{36}$/);
    await page
      .getByRole('tree')
      .getByRole('link', { name: /Siège de Lyon/ })
      .waitFor();

    // An asset at that site.
    await nav(page).getByRole('link', { name: 'Parc matériel' }).click();
    await page.getByRole('heading', { name: 'Parc matériel' }).waitFor();
    await page.getByRole('button', { name: 'Nouvel équipement' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Nouvel équipement' });
    await dialog.getByLabel(/^Nom/).fill('PC accueil 01');
    await pick(dialog, page, /^Type/, 'portable', 'Ordinateur portable');
    await dialog.getByLabel(/^Numéro d’inventaire/).fill('INV-0001');
    await pick(dialog, page, /^Emplacement/, 'Lyon', 'Siège de Lyon');
    await dialog.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { name: 'PC accueil 01' }).waitFor();
    await expect(
      page.getByRole('region', { name: 'Fiche' }).getByText('Siège de Lyon').isVisible(),
    ).resolves.toBe(true);

    // The site's page leads to the list filtered by the site.
    await page.goto(siteUrl);
    await page.getByText('1 équipement ici et en dessous').waitFor();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'locations.png'), fullPage: true });
    await page.getByRole('link', { name: 'Voir les équipements' }).click();
    await page.getByRole('heading', { name: 'Parc matériel' }).waitFor();
    expect(page.url()).toContain('locationId=');
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Emplacement' }).inputValue())
      .toBe('Siège de Lyon');
    const table = page.getByRole('table', { name: 'Parc matériel' });
    const row = table.getByRole('row').filter({ hasText: 'PC accueil 01' });
    await row.waitFor();
    await expect(row.getByText('INV-0001').isVisible()).resolves.toBe(true);
    await expect(row.getByText('En stock').isVisible()).resolves.toBe(true);
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);

    // A status change, with a note, shows in the timeline.
    await row.getByRole('link', { name: 'PC accueil 01' }).click();
    await page.getByRole('heading', { name: 'PC accueil 01' }).waitFor();
    await page.getByRole('button', { name: 'Changer le statut' }).click();
    // Only the moves allowed from "in stock" are offered.
    await expect(page.getByRole('menuitem', { name: 'Mis au rebut' }).count()).resolves.toBe(0);
    await page.getByRole('menuitem', { name: 'Déployé' }).click();
    const statusDialog = page.getByRole('dialog', { name: 'Passer à « Déployé »' });
    await statusDialog.getByLabel(/^Note/).fill('Remis à l’accueil');
    await statusDialog.getByRole('button', { name: 'Confirmer' }).click();
    await statusDialog.waitFor({ state: 'hidden' });
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });

    const history = page.getByRole('region', { name: 'Historique' });
    await history.getByText('Statut : En stock → Déployé').waitFor();
    await expect(history.getByText('« Remis à l’accueil »').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: 'PC accueil 01' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'asset.png'), fullPage: true });
  });

  it('a second asset with a taken inventory number points to the one that holds it', async () => {
    const page = await j.open();
    await j.logIn(page);
    await nav(page).getByRole('link', { name: 'Parc matériel' }).click();
    for (const name of ['Écran salle 1', 'Écran salle 2']) {
      await page.getByRole('button', { name: 'Nouvel équipement' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Nouvel équipement' });
      await dialog.getByLabel(/^Nom/).fill(name);
      await pick(dialog, page, /^Type/, 'écran', 'Écran');
      await dialog.getByLabel(/^Numéro d’inventaire/).fill('INV-ECR-1');
      await dialog.getByRole('button', { name: 'Créer' }).click();
      if (name === 'Écran salle 1') {
        await page.getByRole('heading', { name }).waitFor();
        await nav(page).getByRole('link', { name: 'Parc matériel' }).click();
      } else {
        await dialog.getByRole('link', { name: 'Ouvrir « Écran salle 1 »' }).click();
        await page.getByRole('heading', { name: 'Écran salle 1' }).waitFor();
      }
    }
  });

  it('the catalogue lists a manufacturer’s model with its box contents, lifetime and power', async () => {
    const page = await j.open();
    await j.logIn(page);
    await nav(page).getByRole('link', { name: 'Catalogue' }).click();
    await page.getByRole('heading', { name: 'Catalogue' }).waitFor();
    await page.getByRole('button', { name: 'Nouveau fabricant' }).click();
    const maker = page.getByRole('dialog', { name: 'Nouveau fabricant' });
    await maker.getByLabel(/^Nom/).fill('Dell');
    await maker.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('table', { name: 'Fabricants' }).getByText('Dell').waitFor();

    await page.getByRole('tab', { name: 'Modèles' }).click();
    await page.getByRole('button', { name: 'Nouveau modèle' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouveau modèle' });
    await pick(dialog, page, /^Fabricant/, 'Dell', 'Dell');
    await pick(dialog, page, /^Type/, 'portable', 'Ordinateur portable');
    await dialog.getByLabel(/^Nom/).fill('Latitude 5440');
    await dialog.getByLabel(/^Durée de vie/).fill('48');
    await dialog.getByLabel(/^Puissance/).fill('65');
    await dialog.getByLabel(/^Contenu du carton/).fill('Chargeur USB-C\nGuide de démarrage');
    await dialog.getByRole('button', { name: 'Créer' }).click();
    const row = page
      .getByRole('table', { name: 'Modèles' })
      .getByRole('row')
      .filter({ hasText: 'Latitude 5440' });
    await row.waitFor();
    await expect(row.getByText('Chargeur USB-C').isVisible()).resolves.toBe(true);
    await expect(row.getByText('48 mois').isVisible()).resolves.toBe(true);
    await expect(row.getByText('65 W').isVisible()).resolves.toBe(true);
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(SHOTS_DIR, 'catalogue.png'), fullPage: true });
  });
});
