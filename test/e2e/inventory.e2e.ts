import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/parc-process.js';
import { SHOTS_DIR } from './browser.js';
import { journey, nav } from './journey.js';

const FUSION_SAMPLE = path.join(
  ROOT,
  'src/server/modules/inventory/fixtures/fusioninventory-2.6-inventory.xml',
);

const j = journey();

describe('automatic inventory', () => {
  it('an admin enrols agents with a token shown once; a FusionInventory inventory becomes an asset with its software', async () => {
    const page = await j.open();
    await j.logIn(page);

    // Enrolment: a token, shown once with the agents' command lines.
    await nav(page).getByRole('link', { name: 'Inventaire automatique' }).click();
    await page.getByRole('heading', { name: 'Inventaire automatique', level: 2 }).waitFor();
    await page.getByRole('tab', { name: 'Enrôlement' }).click();
    await page.getByRole('button', { name: 'Nouveau jeton d’enrôlement' }).click();
    const create = page.getByRole('dialog', { name: 'Nouveau jeton d’enrôlement' });
    await expect.poll(() => create.getByRole('combobox', { name: 'Organisation' }).inputValue()).toBe('Parc');
    await create.getByLabel(/^Nom/).fill('Postes du siège');
    await create.getByRole('button', { name: 'Créer' }).click();
    const created = page.getByRole('dialog', { name: 'Jeton d’enrôlement créé' });
    await created.waitFor();
    const token = (
      (await created.getByLabel('Jeton d’enrôlement', { exact: true }).textContent()) ?? ''
    ).trim();
    expect(token).toMatch(/^penr_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    await created
      .getByText(`fusioninventory-agent --server "${j.url()}/ocsinventory?token=${token}"`)
      .waitFor();
    await created.getByText(`glpi-agent --server "${j.url()}/front/inventory.php?token=${token}"`).waitFor();
    await created.getByText(`parc-agent --server ${j.url()} --token ${token}`).waitFor();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inventory-token.png'), fullPage: true });
    await created.getByRole('button', { name: 'Terminé' }).click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    const tokens = page.getByRole('table', { name: 'Jetons d’enrôlement' });
    await tokens.getByRole('row').filter({ hasText: 'Postes du siège' }).waitFor();
    // Once closed, the token is nowhere on the page: only its start is listed.
    expect(await page.content()).not.toContain(token);

    // A rule whose range is not one: the server's message shows on the field.
    await page.getByRole('button', { name: 'Nouvelle règle' }).first().click();
    const rule = page.getByRole('dialog', { name: 'Nouvelle règle' });
    await rule.getByLabel(/^Valeur/).fill('10.1.0.0/99');
    await rule.getByRole('button', { name: 'Créer' }).click();
    await rule.getByText('Une adresse ou une plage IPv4 comme 10.1.0.0/16').waitFor();
    await rule.getByLabel(/^Valeur/).fill('10.1.0.0/16');
    await rule.getByRole('button', { name: 'Créer' }).click();
    await rule.waitFor({ state: 'hidden' });
    await page.getByRole('table', { name: 'Règles de classement' }).getByText('10.1.0.0/16').waitFor();

    // The agent sends its inventory, zlib-compressed, as FusionInventory 2.6 does.
    const xml = await readFile(FUSION_SAMPLE);
    const sent = await fetch(`${j.url()}/ocsinventory?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-compress-zlib',
        'User-Agent': 'FusionInventory-Agent_v2.6-3',
      },
      body: deflateSync(xml),
    });
    expect(sent.status, await sent.clone().text()).toBe(200);

    // The device is listed, with its agent, and leads to its asset.
    await page.goto(`${j.url()}/inventory`);
    const summary = page.getByRole('region', { name: 'Synthèse de l’inventaire' });
    await summary.getByText('Agents par version').waitFor();
    await summary.getByText('FusionInventory-Agent_v2.6-3', { exact: true }).waitFor();
    const devices = page.getByRole('table', { name: 'Postes inventoriés' });
    const row = devices.getByRole('row').filter({ hasText: 'FusionInventory-Agent_v2.6-3' });
    await row.waitFor();
    await expect(row.getByText('Actif').isVisible()).resolves.toBe(true);
    await expect(row.getByText('Parc', { exact: true }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inventory-devices.png'), fullPage: true });
    await row.getByRole('link', { name: 'vm', exact: true }).click();
    await page.getByRole('heading', { name: 'vm', exact: true, level: 2 }).waitFor();

    // The asset page: the inventory card and the software installed.
    const card = page.getByRole('region', { name: 'Inventaire', exact: true });
    await card.getByText('Debian GNU/Linux 12 (bookworm)').waitFor();
    await expect(card.getByText('AMD EPYC, 2 cœurs').isVisible()).resolves.toBe(true);
    await expect(card.getByText('02:fc:00:00:00:01').isVisible()).resolves.toBe(true);
    await expect(card.getByText('192.0.2.2', { exact: true }).isVisible()).resolves.toBe(true);
    const software = page.getByRole('region', { name: 'Logiciels installés' });
    await software.getByText(/^\d+ logiciels$/).waitFor();
    await software.getByRole('searchbox', { name: 'Filtrer les logiciels' }).fill('adduser');
    await software.getByRole('link', { name: 'adduser', exact: true }).waitFor();
    await expect.poll(() => software.locator('tbody tr').count()).toBe(1);
    // The history says who created the asset: the inventory, in words.
    await page
      .getByRole('region', { name: 'Historique' })
      .getByText('L’inventaire automatique a créé l’équipement')
      .waitFor();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inventory-asset.png'), fullPage: true });

    // The software catalogue: adduser, its version, and where it is installed.
    await nav(page).getByRole('link', { name: 'Logiciels' }).click();
    await page.getByRole('heading', { name: 'Logiciels', level: 2 }).waitFor();
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('adduser');
    const catalogue = page.getByRole('table', { name: 'Logiciels' });
    await catalogue.getByRole('link', { name: 'adduser', exact: true }).click();
    await page.getByRole('heading', { name: 'adduser', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Voir les postes où la version 3.134 est installée' }).click();
    const where = page.getByRole('table', { name: 'Version 3.134 : équipements' });
    await where.getByRole('link', { name: 'vm', exact: true }).waitFor();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inventory-software.png'), fullPage: true });
    await where.getByRole('link', { name: 'vm', exact: true }).click();
    await page.getByRole('heading', { name: 'vm', exact: true, level: 2 }).waitFor();
  });

  it('a global administrator files a device that came without a token, and sees refused inventories', async () => {
    const page = await j.open();
    await j.logIn(page);

    // A second organisation: a device without a token no longer has an obvious home.
    await nav(page).getByRole('link', { name: 'Organisations' }).click();
    await page.getByRole('button', { name: 'Nouvelle organisation' }).click();
    const org = page.getByRole('dialog', { name: 'Nouvelle organisation' });
    await org.getByLabel(/^Nom/).fill('Mairie Nord');
    await org.getByLabel(/^Identifiant/).fill('mairie-nord');
    await org.getByRole('button', { name: 'Créer' }).click();
    await org.waitFor({ state: 'hidden' });

    // Another machine (its own id, name and MACs) reports without a token; a stranger's token is refused.
    const xml = (await readFile(FUSION_SAMPLE, 'utf8'))
      .replace(/<DEVICEID>[^<]*<\/DEVICEID>/, '<DEVICEID>poste-accueil-2026-11-30-08-00-00</DEVICEID>')
      .replace(/<NAME>vm<\/NAME>/g, '<NAME>poste-accueil</NAME>')
      .replace(/<MACADDR>([0-9a-f:]{15})[0-9a-f]{2}<\/MACADDR>/g, (m, head: string) =>
        head === '00:00:00:00:00:' ? m : `<MACADDR>${head}aa</MACADDR>`,
      );
    const post = (query: string) =>
      fetch(`${j.url()}/ocsinventory${query}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-compress-zlib' },
        body: deflateSync(Buffer.from(xml)),
      });
    expect((await post('')).status).toBe(200);
    expect((await post('?token=penr_nothing_here')).status).toBe(401);

    await page.goto(`${j.url()}/inventory`);
    await page.getByRole('tab', { name: 'À valider' }).click();
    const pending = page.getByRole('table', { name: 'Postes à valider' });
    await pending.getByRole('row').filter({ hasText: 'poste-accueil' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inventory-pending.png'), fullPage: true });
    await pending.getByRole('button', { name: 'Classer « poste-accueil » dans une organisation' }).click();
    const file = page.getByRole('dialog', { name: 'Classer « poste-accueil » dans une organisation' });
    const orgInput = file.getByRole('combobox', { name: 'Organisation' });
    await orgInput.click();
    await orgInput.fill('Mairie');
    await page.getByRole('option', { name: 'Mairie Nord' }).click();
    await file.getByRole('button', { name: 'Classer le poste' }).click();
    await file.waitFor({ state: 'hidden' });
    await page.getByText('Aucun poste n’attend de validation.').waitFor();

    await page.getByRole('tab', { name: 'Postes' }).click();
    const filed = page
      .getByRole('table', { name: 'Postes inventoriés' })
      .getByRole('row')
      .filter({ hasText: 'poste-accueil' });
    await filed.getByText('Mairie Nord').waitFor();

    await page.getByRole('tab', { name: 'Erreurs' }).click();
    await page
      .getByRole('table', { name: 'Inventaires refusés' })
      .getByText('bad_token', { exact: true })
      .waitFor();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'inventory-errors.png'), fullPage: true });
  });
});
