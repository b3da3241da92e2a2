import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS_DIR } from './browser.js';
import { journey, nav, type Person } from './journey.js';

/**
 * Structured diagnosis: a technician builds a two-level tree in the editor (the problems show on the
 * nodes until the tree is complete), publishes it and walks it to an outcome that leads to the portal's
 * ticket form; a requester finds it among the published trees and walks it too.
 */

const TECHNICIAN: Person = {
  email: 'lea.bernard@example.test',
  name: 'Léa Bernard',
  password: 'Lea-Password-2024!',
};
const REQUESTER: Person = {
  email: 'hugo.petit@example.test',
  name: 'Hugo Petit',
  password: 'Hugo-Password-2024!',
};
const TREE = 'Imprimante en panne';
const Q1 = 'Imprimante : le voyant clignote-t-il ?';
const Q2 = 'Une feuille est-elle coincée ?';
const HARDWARE = '00000000-0000-7000-8000-000000000101';

const j = journey(async (admin, orgId) => {
  await j.addPerson(admin, orgId, TECHNICIAN, 'technician');
  await j.addPerson(admin, orgId, REQUESTER, 'requester');
});

const node = (page: Page, name: string) => page.getByRole('group', { name, exact: true });

/** Open a Mantine select and pick an option (typing first when it is searchable). */
async function pick(page: Page, input: Locator, option: string, search?: string) {
  await input.click();
  if (search) await input.fill(search);
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('structured diagnosis', () => {
  it('a technician builds a two-level tree, publishes it and walks it to a ticket outcome', async () => {
    const page = await j.open();
    await j.logIn(page, TECHNICIAN);
    await nav(page).getByRole('link', { name: 'Diagnostics guidés' }).click();
    await page.getByRole('heading', { name: 'Diagnostics guidés' }).waitFor();

    // A new tree starts as its first question, answered yes or no.
    await page.getByRole('button', { name: 'Nouvel arbre' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouvel arbre de diagnostic' });
    await dialog.getByLabel(/^Titre/).fill(TREE);
    await dialog.getByLabel(/^Première question/).fill(Q1);
    await dialog.getByRole('button', { name: 'Créer' }).click();
    await page.getByRole('heading', { name: TREE, level: 2 }).waitFor();
    expect(page.url()).toMatch(/\/diagnostics\/[0-9a-f-]{36}$/);
    const root = node(page, 'Question 1');
    await expect(
      root
        .getByRole('textbox', { name: /^Question/ })
        .first()
        .inputValue(),
    ).resolves.toBe(Q1);

    // "Oui" now leads to a second question; until it has a text and answers, the node says what is missing.
    await pick(
      page,
      root.getByRole('combobox', { name: 'La réponse 1 mène à' }).first(),
      '+ Nouvelle question',
    );
    const jam = node(page, 'Question 2');
    await jam.getByText('Une question a besoin d’au moins une réponse').waitFor();
    await expect(jam.getByText('Obligatoire').count()).resolves.toBeGreaterThan(0);
    await page.getByText('2 problèmes à corriger').waitFor();
    await jam.getByRole('textbox', { name: /^Question/ }).fill(Q2);
    await jam.getByRole('button', { name: 'Ajouter une réponse' }).click();
    await jam.getByRole('button', { name: 'Ajouter une réponse' }).click();
    await jam.getByRole('textbox', { name: /^Réponse 1/ }).fill('Oui');
    await jam.getByRole('textbox', { name: /^Réponse 2/ }).fill('Non');
    await page.getByText('L’arbre est complet.').waitFor();

    // The outcomes: advice without a ticket, a hardware ticket, and advice for a light that is off.
    const paper = node(page, 'Conclusion 1');
    await paper
      .getByRole('textbox', { name: /^Conseil/ })
      .fill('Ouvrez le capot arrière et retirez la feuille.');
    await paper.getByLabel('Proposer de créer un ticket').uncheck();
    const hardware = node(page, 'Conclusion 2');
    await hardware.getByRole('textbox', { name: /^Conseil/ }).fill('Panne probable : un technicien passera.');
    await pick(page, hardware.getByRole('combobox', { name: 'Catégorie du ticket' }), 'Matériel', 'Maté');
    await pick(page, hardware.getByRole('combobox', { name: 'Impact' }), 'Une équipe');
    await pick(page, hardware.getByRole('combobox', { name: 'Urgence' }), 'Haute');
    await node(page, 'Conclusion 3')
      .getByRole('textbox', { name: /^Conseil/ })
      .fill('Vérifiez le câble d’alimentation.');

    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Arbre enregistré').waitFor();
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByText('Arbre publié : les parcours suivent désormais cette version.').waitFor();
    await page.getByText('Version publiée : 3').waitFor();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'diagnostics-editor.png'), fullPage: true });

    // Walked from the list: yes, no paper jam → the hardware outcome and its ticket.
    await nav(page).getByRole('link', { name: 'Diagnostics guidés' }).click();
    await page.getByRole('link', { name: `Commencer « ${TREE} »` }).click();
    await page.getByRole('heading', { name: Q1 }).waitFor();
    await page.getByRole('button', { name: 'Oui', exact: true }).click();
    await page.getByRole('heading', { name: Q2 }).waitFor();
    await page.getByRole('button', { name: 'Non', exact: true }).click();
    const outcome = page.getByRole('region', { name: 'Conclusion' });
    await outcome.getByText('Panne probable : un technicien passera.').waitFor();
    await expect(outcome.getByText('Catégorie : Matériel').isVisible()).resolves.toBe(true);
    await expect(outcome.getByText('Priorité P2').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'diagnostics-walk.png'), fullPage: true });

    // Back to the previous question, and on again.
    await page.getByRole('button', { name: 'Question précédente' }).click();
    await page.getByRole('heading', { name: Q2 }).waitFor();
    await page.getByRole('button', { name: 'Non', exact: true }).click();
    await page
      .getByRole('button', { name: 'Créer un ticket avec cette catégorie et cette priorité' })
      .click();
    await page.waitForURL((url) => url.pathname === '/portal/new');
    const params = new URL(page.url()).searchParams;
    expect(params.get('categoryId')).toBe(HARDWARE);
    expect(params.get('impact')).toBe('team');
    expect(params.get('urgency')).toBe('high');
    expect(JSON.parse(params.get('diagnosticPath') ?? 'null')).toEqual([
      { question: Q1, answer: 'Oui' },
      { question: Q2, answer: 'Non' },
    ]);
  });

  it('a requester finds the published tree and is told when no ticket is needed', async () => {
    const page = await j.open();
    await j.logIn(page, REQUESTER);
    await nav(page).getByRole('link', { name: 'Diagnostics guidés' }).click();
    await page.getByRole('heading', { name: 'Diagnostics guidés' }).waitFor();
    await page.getByRole('link', { name: TREE, exact: true }).click();
    await page.getByRole('heading', { name: Q1 }).waitFor();
    await page.getByRole('button', { name: 'Oui', exact: true }).click();
    await page.getByRole('heading', { name: Q2 }).waitFor();
    await page.getByRole('button', { name: 'Oui', exact: true }).click();
    const outcome = page.getByRole('region', { name: 'Conclusion' });
    await outcome.getByText('Ouvrez le capot arrière et retirez la feuille.').waitFor();
    await expect(
      outcome.getByText('Si ce conseil a réglé le problème, aucun ticket n’est nécessaire.').isVisible(),
    ).resolves.toBe(true);
    const answers = page.getByRole('list', { name: 'Vos réponses' });
    await expect(answers.getByRole('listitem').count()).resolves.toBe(2);
    await page.getByRole('button', { name: 'Recommencer' }).click();
    await page.getByRole('heading', { name: Q1 }).waitFor();
    await expect(page.getByRole('region', { name: 'Conclusion' }).count()).resolves.toBe(0);
  });
});
