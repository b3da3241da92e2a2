import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS_DIR } from './browser.js';
import { cells, journey, nav, type Person, pick } from './journey.js';

/**
 * The store room in French: a technician creates a stock location in a CMDB site and an article; a
 * supervisor places a purchase order; the technician receives it in two deliveries (serial numbers on the
 * laptops' line create CMDB assets), sets the minimum, takes toner out until it is to reorder, is refused
 * more than is left (available quantity and lead time in the message), counts the store and books the
 * discrepancy; the ledger shows every movement.
 */

const TECHNICIAN: Person = {
  email: 'lucas.bernard@example.test',
  name: 'Lucas Bernard',
  password: 'Lucas-Password-2024!',
};
const SUPERVISOR: Person = {
  email: 'emma.petit@example.test',
  name: 'Emma Petit',
  password: 'Emma-Password-2024!',
};
const SITE = 'Agence de Nantes';
const STORE = 'Magasin Nantes';
const TONER = 'Toner HP 305A';
const SUPPLIER = 'Bureau Direct';
const LAPTOP = 'Latitude 5440';
const SERIALS = ['SN-LAT-0001', 'SN-LAT-0002'];

let siteId = '';

const j = journey(async (admin, orgId) => {
  await j.addPerson(admin, orgId, TECHNICIAN, 'technician');
  await j.addPerson(admin, orgId, SUPERVISOR, 'supervisor');
  // What the store room journey relies on but does not test: a CMDB site, a supplier, a laptop model.
  siteId = (await admin.call<{ id: string }>('POST', '/locations', { orgId, kind: 'site', name: SITE })).id;
  await admin.call('POST', '/suppliers', { orgId, name: SUPPLIER });
  const maker = await admin.call<{ id: string }>('POST', '/manufacturers', { orgId, name: 'Dell' });
  const types = await admin.call<{ items: { id: string; name: { fr: string } }[] }>('GET', '/asset-types');
  const laptop = types.items.find((x) => x.name.fr === 'Ordinateur portable');
  expect(laptop, 'the "Ordinateur portable" asset type').toBeDefined();
  await admin.call('POST', '/models', { orgId, manufacturerId: maker.id, typeId: laptop?.id, name: LAPTOP });
});

async function openStock(page: Page, tab: string) {
  await nav(page).getByRole('link', { name: 'Stock' }).click();
  await page.getByRole('heading', { name: 'Stock', level: 2 }).waitFor();
  await page.getByRole('tab', { name: tab }).click();
  await expect.poll(() => page.getByRole('tab', { name: tab }).getAttribute('aria-selected')).toBe('true');
}

const levelRow = (page: Page) =>
  page.getByRole('table', { name: 'Niveaux' }).getByRole('row').filter({ hasText: TONER });

/** A movement from the level's actions menu (the dialog comes with the article and the store filled in). */
async function bookFromLevel(page: Page, kind: string, quantity: number, reason: string) {
  await levelRow(page)
    .getByRole('button', { name: `Actions ${TONER}` })
    .click();
  await page.getByRole('menuitem', { name: kind, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Nouveau mouvement' });
  await expect.poll(() => dialog.getByRole('combobox', { name: 'Article' }).inputValue()).toContain(TONER);
  await expect.poll(() => dialog.getByRole('combobox', { name: 'Depuis' }).inputValue()).toBe(STORE);
  await dialog.getByRole('textbox', { name: 'Quantité' }).fill(String(quantity));
  await dialog.getByLabel(/^Motif/).fill(reason);
  await dialog.getByRole('button', { name: 'Enregistrer le mouvement' }).click();
  return dialog;
}

describe('stock', () => {
  it('a store is filled by a purchase order, emptied down to its minimum, counted, and every movement is in the ledger', async () => {
    // The technician creates the store room, in the CMDB site, and the toner article.
    const tech = await j.open();
    await j.logIn(tech, TECHNICIAN);
    await openStock(tech, 'Lieux de stockage');
    await tech.getByText('Aucun lieu de stockage.', { exact: false }).waitFor();
    await tech.getByRole('button', { name: 'Nouveau lieu de stockage' }).click();
    const storeDialog = tech.getByRole('dialog', { name: 'Nouveau lieu de stockage' });
    await expect
      .poll(() => storeDialog.getByRole('combobox', { name: 'Organisation' }).inputValue())
      .toBe('Parc');
    await storeDialog.getByLabel(/^Nom/).fill(STORE);
    await pick(tech, storeDialog.getByRole('combobox', { name: 'Emplacement' }), 'Nantes', SITE);
    await storeDialog.getByRole('button', { name: 'Créer' }).click();
    await storeDialog.waitFor({ state: 'detached' });
    const storeRow = tech
      .getByRole('table', { name: 'Lieux de stockage' })
      .getByRole('row')
      .filter({ hasText: STORE });
    await storeRow.waitFor();
    expect((await cells(storeRow)).slice(0, 3)).toEqual([STORE, 'Magasin', SITE]);

    await tech.getByRole('tab', { name: 'Articles' }).click();
    await tech.getByText('Aucun article.', { exact: false }).waitFor();
    await tech.getByRole('button', { name: 'Nouvel article' }).click();
    const articleDialog = tech.getByRole('dialog', { name: 'Nouvel article' });
    await articleDialog.getByLabel(/^Désignation/).fill(TONER);
    await articleDialog.getByLabel(/^Référence/).fill('CF217A');
    await pick(tech, articleDialog.getByRole('combobox', { name: 'Fournisseur' }), 'Bureau', SUPPLIER);
    await articleDialog.getByLabel(/^Délai d’approvisionnement/).fill('6');
    await articleDialog.getByRole('button', { name: 'Créer' }).click();
    await articleDialog.waitFor({ state: 'detached' });
    const articleRow = tech
      .getByRole('table', { name: 'Articles' })
      .getByRole('row')
      .filter({ hasText: TONER });
    await articleRow.waitFor();
    expect((await cells(articleRow)).slice(0, 5)).toEqual([TONER, 'CF217A', 'pcs', SUPPLIER, '6 jours']);

    // Ordering commits money: the technician cannot, the supervisor can.
    await tech.getByRole('tab', { name: 'Commandes' }).click();
    await tech.getByText('Aucune commande fournisseur.').waitFor();
    await expect(tech.getByRole('button', { name: 'Nouvelle commande' }).count()).resolves.toBe(0);

    const boss = await j.open();
    await j.logIn(boss, SUPERVISOR);
    await openStock(boss, 'Commandes');
    await boss.getByRole('button', { name: 'Nouvelle commande' }).click();
    const orderDialog = boss.getByRole('dialog', { name: 'Nouvelle commande' });
    await pick(boss, orderDialog.getByRole('combobox', { name: 'Fournisseur' }), 'Bureau', SUPPLIER);
    await pick(boss, orderDialog.getByRole('combobox', { name: 'Lieu de réception' }), 'Nantes', STORE);
    await pick(boss, orderDialog.getByRole('combobox', { name: 'Article' }), 'Toner', new RegExp(TONER));
    await orderDialog.getByRole('textbox', { name: 'Quantité' }).fill('10');
    await orderDialog.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await orderDialog.getByText('Modèle (numéroté)').nth(1).click();
    await pick(
      boss,
      orderDialog.getByRole('combobox', { name: 'Modèle du catalogue' }),
      'Latitude',
      `Dell ${LAPTOP}`,
    );
    await orderDialog.getByRole('textbox', { name: 'Quantité' }).nth(1).fill('2');
    await orderDialog.getByRole('button', { name: 'Passer la commande' }).click();
    await boss.waitForURL(/\/stock\/orders\/[0-9a-f-]{36}$/);
    const orderUrl = boss.url();
    const title = boss.getByRole('heading', { name: /^PO/, level: 2 });
    await title.waitFor();
    await orderDialog.waitFor({ state: 'detached' });
    const reference = ((await title.textContent()) ?? '').trim();
    await boss.getByText('Commandée', { exact: true }).waitFor();
    await boss.screenshot({ path: path.join(SHOTS_DIR, 'stock-order.png'), fullPage: true });

    // The technician receives part of the toner first, nothing of the laptops.
    await tech.reload();
    const orderLink = tech.getByRole('table', { name: 'Commandes' }).getByRole('link', { name: reference });
    await orderLink.click();
    await tech.waitForURL(orderUrl);
    await tech.getByRole('heading', { name: reference }).waitFor();
    const tonerNow = tech.getByRole('textbox', { name: `Quantité reçue maintenant : ${TONER}` });
    const laptopsNow = tech.getByRole('textbox', { name: `Quantité reçue maintenant : ${LAPTOP}` });
    await expect(tonerNow.inputValue()).resolves.toBe('10');
    await expect(laptopsNow.inputValue()).resolves.toBe('2');
    await tonerNow.fill('6');
    await laptopsNow.fill('0');
    await expect(tech.getByLabel(/^Numéros de série/).count()).resolves.toBe(0);
    await tech.getByLabel(/^Note de réception/).fill('BL 2024-118, colis 1 sur 2');
    await tech.getByRole('button', { name: 'Réceptionner', exact: true }).click();
    await tech.getByText('Réception enregistrée', { exact: true }).waitFor();
    await tech.getByText('Reçue en partie', { exact: true }).waitFor();
    const lines = tech.getByRole('table', { name: 'Lignes' });
    const tonerLine = lines.getByRole('row').filter({ hasText: TONER });
    await expect.poll(async () => (await cells(tonerLine)).slice(1, 3)).toEqual(['10', '6']);

    // Then the rest: the remaining toner, and the two laptops with their serial numbers.
    await expect.poll(() => tonerNow.inputValue()).toBe('4');
    await expect(laptopsNow.inputValue()).resolves.toBe('2');
    const serials = tech.getByLabel(/^Numéros de série/);
    await serials.fill(SERIALS.join('\n'));
    await tech.getByText('Un par ligne : 2 saisi(s) sur 2.').waitFor();
    await tech.getByRole('button', { name: 'Réceptionner', exact: true }).click();
    await tech.getByText('Réception enregistrée : 2 équipements créés en stock').waitFor();
    await tech.getByText('Reçue', { exact: true }).waitFor();
    // Nothing left to receive: the lines are read-only.
    await expect(tech.getByRole('button', { name: 'Réceptionner', exact: true }).count()).resolves.toBe(0);
    await expect.poll(async () => (await cells(tonerLine)).slice(1, 3)).toEqual(['10', '10']);
    const laptopLine = lines.getByRole('row').filter({ hasText: LAPTOP });
    expect((await cells(laptopLine)).slice(1, 3)).toEqual(['2', '2']);
    await expect(laptopLine.getByText('Numéroté').isVisible()).resolves.toBe(true);

    // The laptops are in the CMDB, in stock at the store's site, with their serial numbers.
    await tech.goto(`${j.url()}/assets?locationId=${siteId}`);
    await tech.getByRole('heading', { name: 'Parc matériel' }).waitFor();
    const assets = tech.getByRole('table', { name: 'Parc matériel' });
    for (const serial of SERIALS) {
      const row = assets.getByRole('row').filter({ hasText: serial });
      await row.waitFor();
      await expect(row.getByText(LAPTOP).isVisible()).resolves.toBe(true);
      await expect(row.getByText('En stock').isVisible()).resolves.toBe(true);
    }
    await expect(assets.locator('tbody tr').count()).resolves.toBe(2);

    // The level: 10 toners; the technician sets the minimum to 4.
    await openStock(tech, 'Niveaux');
    await levelRow(tech).waitFor();
    // Article, location, on hand, reserved, available, minimum, lead time.
    expect((await cells(levelRow(tech))).slice(0, 7)).toEqual([
      `${TONER}\nCF217A`,
      STORE,
      '10 pcs',
      '0',
      '10',
      '—',
      '6 jours',
    ]);
    await levelRow(tech)
      .getByRole('button', { name: `Actions ${TONER}` })
      .click();
    await tech.getByRole('menuitem', { name: 'Définir le minimum' }).click();
    const minimum = tech.getByRole('dialog', { name: 'Définir le minimum' });
    await minimum.getByRole('textbox', { name: 'Minimum' }).fill('4');
    await minimum.getByRole('button', { name: 'Enregistrer' }).click();
    await minimum.waitFor({ state: 'detached' });
    await expect.poll(async () => (await cells(levelRow(tech)))[5]).toBe('4');
    await expect(levelRow(tech).getByText('À commander').count()).resolves.toBe(0);

    // Out with 6: 4 left, at the minimum, so to reorder.
    const out = await bookFromLevel(tech, 'Sortie', 6, 'Imprimantes du 2e étage');
    await out.waitFor({ state: 'detached' });
    await tech.getByText('Mouvement enregistré').waitFor();
    await expect.poll(async () => (await cells(levelRow(tech)))[4]).toBe('4\nÀ COMMANDER');
    const onlyToReorder = tech.getByRole('switch', { name: 'Seulement les niveaux à réapprovisionner' });
    await onlyToReorder.click();
    await expect.poll(() => onlyToReorder.isChecked()).toBe(true);
    await expect.poll(() => tech.url()).toContain('toReorder=true');
    await levelRow(tech).getByText('À commander').waitFor();
    await tech.screenshot({ path: path.join(SHOTS_DIR, 'stock-levels.png'), fullPage: true });

    // More than is left: refused, with what is available and the supplier's lead time.
    const tooMuch = await bookFromLevel(tech, 'Sortie', 5, 'Imprimantes du 3e étage');
    const refusal = tooMuch.getByRole('alert');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain(
      '4 disponible(s) ici pour 5 demandé(s) ; le délai d’approvisionnement du fournisseur est de 6 jour(s)',
    );
    await tech.screenshot({ path: path.join(SHOTS_DIR, 'stock-refused.png'), fullPage: true });
    await tech.keyboard.press('Escape');
    await tooMuch.waitFor({ state: 'detached' });
    await expect.poll(async () => (await cells(levelRow(tech)))[2]).toBe('4 pcs');

    // A stock-taking finds 3 toners where 4 were expected; booking it adjusts the level.
    await tech.getByRole('tab', { name: 'Inventaires' }).click();
    await tech.getByText('Aucun inventaire.').waitFor();
    await tech.getByRole('button', { name: 'Commencer un inventaire' }).click();
    const start = tech.getByRole('dialog', { name: 'Commencer un inventaire' });
    await pick(tech, start.getByRole('combobox', { name: 'Lieu de stockage' }), 'Nantes', STORE);
    await start.getByRole('button', { name: 'Commencer un inventaire' }).click();
    await tech.waitForURL(/\/stock\/takes\/[0-9a-f-]{36}$/);
    await tech.getByRole('heading', { name: `Inventaire — ${STORE}` }).waitFor();
    await tech.getByText('En cours', { exact: true }).waitFor();
    const counts = tech.getByRole('table', { name: 'Comptages' });
    const countRow = counts.getByRole('row').filter({ hasText: TONER });
    expect((await cells(countRow))[1]).toBe('4 pcs');
    await tech.getByText('1 article pas encore compté (ignoré à la validation)').waitFor();
    await countRow.getByRole('textbox', { name: `Quantité comptée : ${TONER}` }).fill('3');
    await expect.poll(async () => (await cells(countRow))[3]).toBe('-1');
    await expect(tech.getByRole('button', { name: 'Valider l’inventaire' }).isDisabled()).resolves.toBe(true);
    await tech.getByRole('button', { name: 'Enregistrer les comptages' }).click();
    await tech.getByText('Comptages enregistrés').waitFor();
    await tech.getByText('0 article pas encore compté (ignoré à la validation)').waitFor();
    await tech.getByRole('button', { name: 'Valider l’inventaire' }).click();
    const book = tech.getByRole('dialog', { name: 'Valider l’inventaire' });
    await book.getByText('Chaque écart sera enregistré comme un ajustement').waitFor();
    await book.getByRole('button', { name: 'Valider l’inventaire' }).click();
    await book.waitFor({ state: 'detached' });
    await tech.getByText('Validé', { exact: true }).waitFor();
    expect((await cells(countRow)).slice(1, 4)).toEqual(['4 pcs', '3', '-1']);

    await tech.getByRole('link', { name: '← Inventaires' }).click();
    const takeRow = tech
      .getByRole('table', { name: 'Inventaires' })
      .getByRole('row')
      .filter({ hasText: STORE });
    await takeRow.getByText('Validé').waitFor();
    await tech.getByRole('tab', { name: 'Niveaux' }).click();
    await expect
      .poll(async () => (await cells(levelRow(tech))).slice(2, 6))
      .toEqual(['3 pcs', '0', '3\nÀ COMMANDER', '4']);

    // The ledger, newest first: the count's adjustment, the way out, the two receptions.
    await tech.getByRole('tab', { name: 'Mouvements' }).click();
    const ledger = tech.getByRole('table', { name: 'Mouvements' });
    await ledger.getByRole('row').filter({ hasText: 'Ajustement' }).waitFor();
    // Badges in capitals (CSS); the author is the account's e-mail; a loss leaves the store (from).
    const rows = ledger.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(4);
    const read = async (i: number) => {
      const c = await cells(rows.nth(i));
      // Kind, article, quantity, from, to, reason (and its document), author.
      return [c[1], c[2], c[3], c[4], c[5], c[6]?.split('\n')[0], c[6]?.split('\n')[1]?.split(' ')[0], c[7]];
    };
    await expect(read(0)).resolves.toEqual([
      'AJUSTEMENT',
      TONER,
      '1',
      STORE,
      '—',
      expect.any(String),
      'Inventaire',
      TECHNICIAN.email,
    ]);
    await expect(read(1)).resolves.toEqual([
      'SORTIE',
      TONER,
      '6',
      STORE,
      '—',
      'Imprimantes du 2e étage',
      undefined,
      TECHNICIAN.email,
    ]);
    for (const [i, quantity] of [
      [2, '4'],
      [3, '6'],
    ] as const) {
      await expect(read(i)).resolves.toEqual([
        'ENTRÉE',
        TONER,
        quantity,
        '—',
        STORE,
        expect.any(String),
        'Commande',
        TECHNICIAN.email,
      ]);
    }
    // The refused way out left no trace.
    await expect(ledger.getByText('Imprimantes du 3e étage').count()).resolves.toBe(0);
    await tech.screenshot({ path: path.join(SHOTS_DIR, 'stock-ledger.png'), fullPage: true });
  }, 240_000);
});
