import { describe, expect, it } from 'vitest';
import { cells, journey, nav, type Person, pick } from './journey.js';

/**
 * End of life in French: a technician puts a replaced laptop and a monitor in a WEEE batch, is refused
 * the hand-over while the laptop's disk is not wiped, records the wipe, hands the batch over, and reads
 * the environmental report.
 */

const TECHNICIAN: Person = {
  email: 'chloe.moreau@example.test',
  name: 'Chloé Moreau',
  password: 'Chloe-Password-2024!',
};
const LAPTOP = 'PC-COMPTA-07';
const MONITOR = 'ECRAN-COMPTA-07';

const j = journey(async (admin, orgId) => {
  await j.addPerson(admin, orgId, TECHNICIAN, 'technician');
  const types = await admin.call<{ items: { id: string; name: { fr: string } }[] }>('GET', '/asset-types');
  const typeId = (name: string) => types.items.find((x) => x.name.fr === name)?.id;
  await admin.call('POST', '/assets', {
    orgId,
    typeId: typeId('Ordinateur portable'),
    name: LAPTOP,
    status: 'retired',
  });
  await admin.call('POST', '/assets', { orgId, typeId: typeId('Écran'), name: MONITOR, status: 'in_stock' });
});

describe('end of life', () => {
  it('a batch leaves only once its storage media are wiped, and the report counts it', async () => {
    const page = await j.open();
    await j.logIn(page, TECHNICIAN);
    await nav(page).getByRole('link', { name: 'Fin de vie' }).click();
    await page.getByRole('heading', { name: 'Fin de vie', level: 2 }).waitFor();
    await page.getByText('Aucun lot de réforme.', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Nouveau lot' }).click();
    const create = page.getByRole('dialog', { name: 'Nouveau lot' });
    await expect
      .poll(() => create.getByRole('combobox', { name: 'Filière' }).inputValue())
      .toBe('Recyclage DEEE');
    await create.getByLabel(/^Destinataire/).fill('Ecosystem');
    await create.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { name: 'DSP-000001 · Recyclage DEEE' }).waitFor();

    for (const [name, weight] of [
      [LAPTOP, '2,2'],
      [MONITOR, '4'],
    ] as const) {
      await pick(page, page.getByRole('combobox', { name: 'Ajouter un équipement' }), name, name);
      await page.getByRole('textbox', { name: 'Poids (kg)' }).fill(weight);
      await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
      await page.getByRole('table', { name: 'Équipements' }).getByRole('link', { name }).waitFor();
    }
    const items = page.getByRole('table', { name: 'Équipements' });
    expect(await cells(items.getByRole('row').filter({ hasText: LAPTOP }))).toEqual(
      expect.arrayContaining(['Ordinateur portable', expect.stringMatching(/^à effacer$/i)]),
    );
    await page.getByText('1 support(s) de stockage à effacer avant la remise.').waitFor();

    // Handing over now is refused, naming the reason.
    await page.getByRole('button', { name: 'Remettre le lot' }).click();
    const close = page.getByRole('dialog', { name: 'Remettre le lot' });
    await close.getByLabel(/^N° de bordereau/).fill('BSD-2026-118');
    await close.getByRole('button', { name: 'Remettre le lot' }).click();
    await close
      .getByText(/Aucun effacement réussi enregistré pour 1 support\(s\) de stockage : PC-COMPTA-07/)
      .waitFor();
    await page.keyboard.press('Escape');
    await close.waitFor({ state: 'hidden' });

    await items
      .getByRole('row')
      .filter({ hasText: LAPTOP })
      .getByRole('button', { name: 'Enregistrer un effacement' })
      .click();
    const wipe = page.getByRole('dialog', { name: 'Enregistrer un effacement' });
    await wipe.getByRole('combobox', { name: 'Méthode' }).click();
    await page.getByRole('option', { name: 'Secure Erase (firmware)' }).click();
    await wipe.getByLabel(/^Outil/).fill('hdparm');
    await wipe.getByRole('button', { name: 'Enregistrer un effacement' }).click();
    await page.getByText('Tous les supports de stockage sont effacés.').waitFor();

    await page.getByRole('button', { name: 'Remettre le lot' }).click();
    await close.getByLabel(/^N° de bordereau/).fill('BSD-2026-118');
    await close.getByRole('button', { name: 'Remettre le lot' }).click();
    await page.getByText('Remis', { exact: true }).waitFor();
    await page.getByText(/2 équipement\(s\), 6,2 kg/).waitFor();

    await page.getByRole('link', { name: '← Lots de réforme' }).click();
    await page.getByRole('tab', { name: 'Bilan environnemental' }).click();
    await page.getByText('2 équipement(s) remis, 6,2 kg, dont 1 support(s) de stockage.').waitFor();
    const byChannel = page.getByRole('table', { name: 'Par filière' });
    expect(await cells(byChannel.getByRole('row').filter({ hasText: 'Recyclage DEEE' }))).toEqual([
      'Recyclage DEEE',
      '1',
      '2',
      '6,2',
      '0',
    ]);
  });
});
