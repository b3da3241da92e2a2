import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS_DIR } from './browser.js';
import { journey, nav, type Person } from './journey.js';
import { apiSession as openSession } from './people.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './server.js';

/**
 * The helpdesk from both sides: a requester reports a problem in the portal, a technician takes it from
 * the queue (keyboard), writes private and public follow-ups, waits for the user, who answers, and
 * resolves it; the requester reads the solution and rates it. Then the queue in English.
 */

const REQUESTER: Person = {
  email: 'claire.martin@example.test',
  name: 'Claire Martin',
  password: 'Claire-Password-2024!',
};
const TECHNICIAN: Person = {
  email: 'paul.durand@example.test',
  name: 'Paul Durand',
  password: 'Paul-Password-2024!',
};
const TITLE = 'L’imprimante du 2e étage n’imprime plus';

const apiSession = (email: string, password: string) => openSession(j.url(), email, password);

const j = journey(async (admin, orgId) => {
  await j.addPerson(admin, orgId, REQUESTER, 'requester');
  await j.addPerson(admin, orgId, TECHNICIAN, 'technician');
});

const story = (page: Page) => page.getByRole('region', { name: /^(Historique|History)$/ });

describe('helpdesk', () => {
  it('a requester reports a problem, a technician handles it from the queue, the requester rates the solution', async () => {
    // The requester lands on their requests and reports a problem in their own words.
    const asker = await j.open();
    await j.logIn(asker, REQUESTER);
    // Their home is their requests.
    await asker.getByRole('heading', { name: 'Bonjour, Claire Martin' }).waitFor();
    await asker.getByRole('heading', { name: 'Mes demandes' }).waitFor();
    expect(new URL(asker.url()).pathname).toBe('/');
    await expect(nav(asker).getByRole('link', { name: 'Mes demandes' }).isVisible()).resolves.toBe(true);
    await expect(nav(asker).getByRole('link', { name: 'Tickets' }).count()).resolves.toBe(0);
    await asker.getByText('Vous n’avez encore fait aucune demande.').waitFor();
    await asker.getByRole('link', { name: 'Déclarer un incident' }).first().click();
    await asker.getByRole('heading', { name: 'Déclarer un incident' }).waitFor();
    await asker.getByLabel(/^Quel est le problème/).fill(TITLE);
    await asker.getByLabel(/^Détails/).fill('Le voyant clignote en orange depuis ce matin.');
    const category = asker.getByRole('combobox', { name: 'De quoi s’agit-il ?' });
    await category.click();
    await asker.getByRole('option', { name: 'Matériel' }).click();
    await asker.getByRole('radio', { name: 'Mon équipe ou mon service' }).check();
    await asker.getByRole('radio', { name: 'Je ne peux plus travailler' }).check();
    await asker.screenshot({ path: path.join(SHOTS_DIR, 'helpdesk-portal-new.png'), fullPage: true });
    await asker.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await asker.getByRole('heading', { name: TITLE }).waitFor();
    await asker.getByText('Reçue, bientôt prise en charge').waitFor();
    const portalUrl = asker.url();
    expect(portalUrl).toMatch(/\/portal\/[0-9a-f-]{36}$/);
    const ticketId = portalUrl.split('/').pop() ?? '';

    // The technician's queue is empty; the ticket waits among all open tickets.
    const tech = await j.open();
    await j.logIn(tech, TECHNICIAN);
    await tech.getByRole('heading', { name: 'Bonjour, Paul Durand' }).waitFor();
    await nav(tech).getByRole('link', { name: 'Tickets' }).click();
    await tech.getByRole('heading', { name: 'Tickets', level: 2 }).waitFor();
    await expect(tech.getByRole('tab', { name: 'Ma file' }).getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
    await tech.getByText('Votre file est vide').waitFor();
    await tech.getByRole('tab', { name: 'Tous les tickets ouverts' }).click();
    const openList = tech.getByRole('table', { name: 'Tous les tickets ouverts' });
    const row = openList.getByRole('row').filter({ hasText: TITLE });
    await row.waitFor();
    // Team × blocking: P2 from the default matrix; the requester's name is shown.
    await expect(row.getByText('P2', { exact: true }).isVisible()).resolves.toBe(true);
    await row.getByText('Claire Martin').waitFor();
    await expect(row.getByText('Nouveau', { exact: true }).isVisible()).resolves.toBe(true);
    await tech.screenshot({ path: path.join(SHOTS_DIR, 'helpdesk-open.png'), fullPage: true });
    const reference = ((await row.getByRole('link').first().textContent()) ?? '').trim();
    expect(reference).toMatch(/^T-/);
    await row.getByRole('link', { name: reference }).click();
    await tech.getByRole('heading', { name: TITLE }).waitFor();
    await tech.getByRole('button', { name: 'Me l’attribuer' }).click();
    await tech.getByRole('button', { name: 'Me l’attribuer' }).waitFor({ state: 'detached' });
    await story(tech).getByText('Paul Durand a attribué le ticket à Paul Durand').waitFor();

    // Now in their queue: j selects the first ticket, Enter opens it.
    await tech.goto(`${j.url()}/tickets`);
    const queue = tech.getByRole('table', { name: 'Ma file' });
    await queue.getByRole('row').filter({ hasText: TITLE }).waitFor();
    await tech.keyboard.press('j');
    await expect
      .poll(() => queue.getByRole('row').filter({ hasText: TITLE }).getAttribute('aria-current'))
      .toBe('true');
    await tech.keyboard.press('Enter');
    await tech.waitForURL(`${j.url()}/tickets/${ticketId}`);
    await tech.getByRole('heading', { name: TITLE }).waitFor();
    await tech.getByRole('region', { name: 'Échéances' }).getByText('Délai de résolution').waitFor();

    // A private note (Ctrl+Enter sends), then a public follow-up.
    const composer = tech.getByRole('textbox', { name: 'Ajouter un suivi' });
    const privateSwitch = tech.getByRole('switch', { name: /Suivi privé/ });
    await privateSwitch.check();
    await composer.fill('Toner HP 305A à commander, vérifier le stock.');
    await composer.press('Control+Enter');
    const privateNote = story(tech).locator('[data-private="true"]').filter({ hasText: 'Toner HP 305A' });
    await privateNote.waitFor();
    await expect(privateNote.getByText('Privé', { exact: true }).isVisible()).resolves.toBe(true);
    await privateSwitch.uncheck();
    await composer.fill('Bonjour, pouvez-vous me dire quel message affiche l’écran de l’imprimante ?');
    await tech.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await story(tech).getByText('quel message affiche l’écran').waitFor();

    // Waiting for the user.
    await tech.getByRole('button', { name: 'Changer le statut' }).click();
    await tech.getByRole('menuitem', { name: 'En attente' }).click();
    const waiting = tech.getByRole('dialog', { name: 'Passer à « En attente »' });
    await expect(waiting.getByRole('combobox', { name: 'En attente de' }).inputValue()).resolves.toBe(
      'En attente de l’utilisateur',
    );
    await waiting.getByRole('button', { name: 'Confirmer' }).click();
    await waiting.waitFor({ state: 'detached' });
    await tech.getByText('En attente de l’utilisateur').first().waitFor();
    await tech.screenshot({ path: path.join(SHOTS_DIR, 'helpdesk-ticket.png'), fullPage: true });

    // The requester reads the public follow-up only, and answers: the ticket is back in progress.
    await asker.reload();
    await asker.getByText('Le support attend votre réponse').waitFor();
    await story(asker).getByText('quel message affiche l’écran').waitFor();
    await expect(story(asker).getByText('Toner HP 305A').count()).resolves.toBe(0);
    await asker
      .getByRole('textbox', { name: 'Répondre au support' })
      .fill('L’écran affiche « Bourrage papier, bac 2 ».');
    await asker.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await asker.getByText('En cours de traitement', { exact: true }).first().waitFor();
    await story(asker).getByText('Bourrage papier, bac 2').waitFor();

    // The technician sees the answer and resolves the ticket.
    await tech.reload();
    await story(tech).getByText('Bourrage papier, bac 2').waitFor();
    await expect(
      tech.getByRole('main').getByText('En cours', { exact: true }).first().isVisible(),
    ).resolves.toBe(true);
    await tech.getByRole('button', { name: 'Résoudre', exact: true }).click();
    const solve = tech.getByRole('dialog', { name: 'Résoudre le ticket' });
    await solve.getByLabel(/^Solution/).fill('Papier coincé retiré du bac 2 ; impression de test réussie.');
    await solve.getByRole('button', { name: 'Résoudre', exact: true }).click();
    await solve.waitFor({ state: 'detached' });
    await tech.getByText('Résolu', { exact: true }).first().waitFor();

    // The requester reads the solution and rates it 4 out of 5.
    await asker.reload();
    const solution = asker.getByRole('region', { name: 'Solution' });
    await solution.getByText('Papier coincé retiré du bac 2').waitFor();
    await asker.getByText('Résolue', { exact: true }).waitFor();
    await asker.getByRole('button', { name: 'Rouvrir' }).waitFor();
    const rating = asker.getByRole('region', { name: 'Êtes-vous satisfait de la résolution ?' });
    // Each star is the label of a hidden radio named "n sur 5": a person clicks the star.
    const fourth = rating.getByRole('radio', { name: '4 sur 5' });
    await rating.locator(`label[for="${await fourth.getAttribute('id')}"]`).click();
    await expect.poll(() => fourth.isChecked()).toBe(true);
    await rating.getByLabel(/^Un commentaire/).fill('Rapide et efficace.');
    await rating.getByRole('button', { name: 'Envoyer ma note' }).click();
    const rated = asker.getByRole('region', { name: 'Votre note' });
    await rated.getByText('4 sur 5').waitFor();
    await story(asker).getByText('Claire Martin a donné la note de 4 sur 5').waitFor();
    await asker.screenshot({ path: path.join(SHOTS_DIR, 'helpdesk-portal-resolved.png'), fullPage: true });

    // Back in the portal's list, the request reads as resolved.
    await nav(asker).getByRole('link', { name: 'Mes demandes' }).click();
    const mine = asker
      .getByRole('table', { name: 'Mes demandes' })
      .getByRole('row')
      .filter({ hasText: TITLE });
    await mine.getByText('Résolue').waitFor();
    // A link to the technicians' page of the ticket leads the requester to the portal's.
    await asker.goto(`${j.url()}/tickets/${ticketId}`);
    await asker.waitForURL(portalUrl);
    await asker.getByRole('heading', { name: TITLE }).waitFor();
  }, 180_000);

  it('the technician’s queue and a ticket in English', async () => {
    const page = await j.open();
    await j.logIn(page, TECHNICIAN);
    await page.getByRole('heading', { name: 'Bonjour, Paul Durand' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Hello, Paul Durand' }).waitFor();
    await nav(page).getByRole('link', { name: 'Tickets' }).click();
    await page.getByRole('heading', { name: 'Tickets', level: 2 }).waitFor();
    await page.getByRole('tab', { name: 'My queue' }).waitFor();
    await page.getByText('Your queue is empty').waitFor();
    await page.getByRole('tab', { name: 'All tickets' }).click();
    const all = page.getByRole('table', { name: 'All tickets' });
    const row = all.getByRole('row').filter({ hasText: TITLE });
    await row.getByText('Resolved', { exact: true }).waitFor();
    for (const header of ['Reference', 'Title', 'Priority', 'Status', 'Requester', 'Assigned to', 'Due']) {
      await expect(all.getByRole('columnheader', { name: header, exact: true }).isVisible()).resolves.toBe(
        true,
      );
    }
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Open the selected ticket').waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await page.getByRole('region', { name: 'Deadlines' }).getByText('Time to resolve').waitFor();
    await story(page).getByText('Paul Durand resolved the ticket').waitFor();
    await story(page).getByText('Claire Martin rated 4 out of 5').waitFor();
    await page.getByRole('region', { name: 'Details' }).getByText('A team', { exact: true }).waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text shown.
    const text = await page.locator('body').innerText();
    for (const word of ['Priorité', 'Statut', 'Demandeur', 'Historique', 'Échéances', 'Rouvrir', 'Résolu']) {
      expect(text, `French text "${word}"`).not.toContain(word);
    }
    await page.screenshot({ path: path.join(SHOTS_DIR, 'helpdesk-ticket-en.png'), fullPage: true });
  });

  it('an administrator sets the helpdesk up; an asset lists its tickets; a concurrent change is explained', async () => {
    const admin = await apiSession(ADMIN_EMAIL, ADMIN_PASSWORD);
    const orgId = admin.me.memberships[0]?.orgId ?? '';
    const types = await admin.call<{ items: { id: string; name: { fr: string } }[] }>('GET', '/asset-types');
    const screenType = types.items.find((x) => x.name.fr === 'Écran');
    const asset = await admin.call<{ id: string }>('POST', '/assets', {
      orgId,
      typeId: screenType?.id,
      name: 'Écran accueil 3',
    });
    const ticket = await admin.call<{ id: string; reference: string; version: number }>('POST', '/tickets', {
      orgId,
      title: 'Écran qui scintille',
      assetIds: [asset.id],
      source: 'phone',
    });

    const page = await j.open();
    await j.logIn(page, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    await page.getByRole('heading', { name: /^Bonjour/ }).waitFor();

    // The priority matrix and the SLA; an impossible target is explained next to its field.
    await nav(page).getByRole('link', { name: 'Paramètres du support' }).click();
    await page.getByRole('heading', { name: 'Paramètres du support', level: 2 }).waitFor();
    await page.getByText('Réglages par défaut, pas encore enregistrés pour cette organisation.').waitFor();
    const cell = page.getByRole('combobox', {
      name: 'Priorité pour l’impact « Une personne » et l’urgence « Basse »',
    });
    await expect(cell.inputValue()).resolves.toBe('P5');
    await cell.click();
    await page.getByRole('option', { name: 'P4', exact: true }).click();
    await expect.poll(() => cell.inputValue()).toBe('P4');
    const ownP1 = page.getByRole('textbox', { name: 'Heures : Prise en charge P1 · Très haute' });
    await ownP1.fill('9');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Plus long que le délai de résolution').waitFor();
    await ownP1.fill('0');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Paramètres du support enregistrés').waitFor();
    await page
      .getByText('Réglages par défaut, pas encore enregistrés pour cette organisation.')
      .waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(SHOTS_DIR, 'helpdesk-settings.png'), fullPage: true });

    // A category of the organisation, then deactivated.
    await page.getByRole('button', { name: 'Nouvelle catégorie' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouvelle catégorie' });
    await dialog.getByLabel(/^Nom en français/).fill('Imprimantes');
    await dialog.getByLabel(/^Nom en anglais/).fill('Printers');
    await dialog.getByRole('button', { name: 'Créer' }).click();
    await dialog.waitFor({ state: 'detached' });
    const categoryRow = page
      .getByRole('table', { name: 'Catégories de tickets' })
      .getByRole('row')
      .filter({ hasText: 'Imprimantes' });
    await categoryRow.getByRole('button', { name: 'Désactiver' }).click();
    await categoryRow.getByText('Désactivée').waitFor();

    // The asset's page lists the ticket that names it.
    await page.goto(`${j.url()}/assets/${asset.id}`);
    await page.getByRole('heading', { name: 'Écran accueil 3' }).waitFor();
    const assetTickets = page.getByRole('region', { name: 'Tickets' });
    await assetTickets.getByText('Écran qui scintille').waitFor();
    await assetTickets.getByRole('link', { name: ticket.reference }).click();
    await page.getByRole('heading', { name: 'Écran qui scintille' }).waitFor();
    await page
      .getByRole('region', { name: 'Informations' })
      .getByRole('link', { name: 'Écran accueil 3' })
      .waitFor();

    // Someone else moves the ticket meanwhile: the action is refused, said so, and the ticket reloaded.
    await admin.call(
      'POST',
      `/tickets/${ticket.id}/status`,
      { status: 'in_progress' },
      { 'If-Match': `"v${ticket.version}"` },
    );
    await page.getByRole('button', { name: 'Me l’attribuer' }).click();
    await page.getByRole('alert').filter({ hasText: 'Ticket modifié entre-temps' }).waitFor();
    await page.getByText('En cours', { exact: true }).first().waitFor();

    // A guided diagnostic hands its conclusion to the portal's form, which files it with the ticket.
    const walked = [{ question: 'Le voyant est-il allumé ?', answer: 'Non' }];
    const query = new URLSearchParams({
      impact: 'site',
      urgency: 'high',
      diagnosticPath: JSON.stringify(walked),
    });
    await page.goto(`${j.url()}/portal/new?${query.toString()}`);
    await page.getByText('Vos réponses au diagnostic guidé').waitFor();
    await expect(page.getByRole('radio', { name: 'Tout le site ou le bâtiment' }).isChecked()).resolves.toBe(
      true,
    );
    await expect(page.getByRole('radio', { name: 'Je ne peux plus travailler' }).isChecked()).resolves.toBe(
      true,
    );
    await page.getByLabel(/^Quel est le problème/).fill('Imprimante éteinte');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByRole('heading', { name: 'Imprimante éteinte' }).waitFor();
    const filed = await admin.call<{ diagnosticPath: unknown; impact: string }>(
      'GET',
      `/tickets/${new URL(page.url()).pathname.split('/').pop()}`,
    );
    expect(filed).toMatchObject({ diagnosticPath: walked, impact: 'site' });

    // The channels: no mailbox yet, an Alertmanager token shown once with its configuration, the templates.
    await page.goto(`${j.url()}/admin/helpdesk`);
    await page.getByRole('tab', { name: 'Boîte de réception' }).click();
    await page.getByText('Aucune boîte configurée pour cette organisation.').waitFor();
    await page.getByRole('tab', { name: 'Alertmanager' }).click();
    await page.getByText('Aucun jeton pour l’instant.').waitFor();
    await page.getByRole('button', { name: 'Créer un jeton' }).click();
    const yaml = page.getByLabel('Configuration Alertmanager (receivers)');
    await expect.poll(() => yaml.textContent()).toContain(`/api/v1/helpdesk/alerts/${orgId}`);
    expect(await yaml.textContent()).toMatch(/credentials: palrt_/);
    await page.getByRole('tab', { name: 'Modèles d’e-mails' }).click();
    await page.getByRole('table', { name: 'Modèles d’e-mails' }).getByRole('row').nth(1).waitFor();
    await page.getByRole('tab', { name: 'E-mails envoyés' }).click();
    // Without SMTP in this test server, the log may be empty; it must not fail.
    await page
      .getByRole('table', { name: 'E-mails envoyés' })
      .or(page.getByText('Aucun e-mail pour l’instant.'))
      .waitFor();
    await expect(page.getByText('Impossible de charger ces données.').count()).resolves.toBe(0);
    await admin.ctx.dispose();
  });
  it('a procedure is suggested while typing, the intervention note reaches the requester, and the ticket becomes a procedure', async () => {
    const admin = await apiSession(ADMIN_EMAIL, ADMIN_PASSWORD);
    const orgId = admin.me.memberships[0]?.orgId ?? '';
    const article = await admin.call<{ id: string }>('POST', '/kb/articles', {
      orgId,
      title: 'Le scanner ne numérise plus vers la messagerie',
      symptoms: 'Le scanner affiche « Échec de l’envoi ».',
      resolution: '1. Vérifier l’adresse du destinataire\n2. Redémarrer le scanner',
      visibility: 'public',
      status: 'published',
    });
    await admin.ctx.dispose();

    // The requester types a title: a published procedure answering it is offered, in a new tab.
    const asker = await j.open();
    await j.logIn(asker, REQUESTER);
    await asker.getByRole('heading', { name: 'Bonjour, Claire Martin' }).waitFor();
    await asker.goto(`${j.url()}/portal/new`);
    await asker.getByRole('heading', { name: 'Déclarer un incident' }).waitFor();
    const SCANNER = 'Le scanner ne numérise plus';
    await asker.getByLabel(/^Quel est le problème/).fill(SCANNER);
    const suggestions = asker.getByRole('region', { name: 'Cela peut vous aider :' });
    const suggested = suggestions.getByRole('link', {
      name: /Le scanner ne numérise plus vers la messagerie/,
    });
    await suggested.waitFor();
    await expect(suggested.getAttribute('href')).resolves.toBe(`/kb/${article.id}`);
    await expect(suggested.getAttribute('target')).resolves.toBe('_blank');
    await asker.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await asker.getByRole('heading', { name: SCANNER }).waitFor();
    const ticketId = new URL(asker.url()).pathname.split('/').pop() ?? '';

    const tech = await j.open();
    await j.logIn(tech, TECHNICIAN);
    // The English journey may have left Paul in English: back to French.
    const greeting = tech.getByRole('heading', { name: /^(Bonjour|Hello), Paul Durand$/ });
    await greeting.waitFor();
    if ((await greeting.textContent())?.startsWith('Hello')) {
      await tech.getByRole('button', { name: 'Français' }).click();
    }
    await tech.getByRole('heading', { name: 'Bonjour, Paul Durand' }).waitFor();

    // The technician resolves it with an intervention note in plain words.
    await tech.goto(`${j.url()}/tickets/${ticketId}`);
    await tech.getByRole('heading', { name: SCANNER }).waitFor();
    await tech.getByRole('button', { name: 'Résoudre', exact: true }).click();
    const solve = tech.getByRole('dialog', { name: 'Résoudre le ticket' });
    await solve.getByLabel(/^Solution/).fill('Relais SMTP du scanner corrigé (port 587, STARTTLS).');
    await solve.getByLabel(/^Ce qui n’allait pas/).fill('Le scanner n’arrivait plus à envoyer ses e-mails.');
    await solve.getByLabel(/^Ce qui a été fait/).fill('Nous avons corrigé son réglage d’envoi.');
    await solve.getByLabel(/^Ce qui change pour vous/).fill('Vos numérisations arrivent de nouveau.');
    await solve.getByLabel(/^Conseils/).fill('Si l’envoi échoue encore, notez le message affiché.');
    await solve.getByRole('button', { name: 'Résoudre', exact: true }).click();
    await solve.waitFor({ state: 'detached' });
    const techNote = tech.getByRole('region', { name: 'Note d’intervention' });
    await techNote.getByText('Nous avons corrigé son réglage d’envoi.').waitFor();

    // The requester reads the note, and its PDF.
    await asker.reload();
    const note = asker.getByRole('region', { name: 'Note d’intervention' });
    await note.getByText('Le scanner n’arrivait plus à envoyer ses e-mails.').waitFor();
    await note.getByText('Vos numérisations arrivent de nouveau.').waitFor();
    await note.getByText('Si l’envoi échoue encore, notez le message affiché.').waitFor();
    const pdfLink = note.getByRole('link', { name: /PDF/ });
    const href = (await pdfLink.getAttribute('href')) ?? '';
    expect(href).toBe(`/api/v1/tickets/${ticketId}/intervention-note.pdf`);
    const pdf = await asker.request.get(`${j.url()}${href}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 4).toString('latin1')).toBe('%PDF');
    await asker.screenshot({ path: path.join(SHOTS_DIR, 'helpdesk-portal-note.png'), fullPage: true });

    // The technician writes a procedure from the ticket: the KB editor opens pre-filled.
    await tech.getByRole('button', { name: 'Rédiger une fiche à partir de ce ticket' }).click();
    await tech.waitForURL(`${j.url()}/kb/new`);
    await tech.getByRole('heading', { name: 'Nouvelle fiche de procédure' }).waitFor();
    await expect(tech.getByLabel(/^Titre/).inputValue()).resolves.toBe(SCANNER);
    await expect(tech.getByLabel(/^Cause/).inputValue()).resolves.toBe(
      'Le scanner n’arrivait plus à envoyer ses e-mails.',
    );

    // Filing a ticket by phone, the technician is offered the same procedure.
    await tech.goto(`${j.url()}/tickets`);
    await tech.getByRole('heading', { name: 'Tickets', level: 2 }).waitFor();
    await tech.getByRole('button', { name: 'Nouveau ticket' }).first().click();
    const form = tech.getByRole('dialog', { name: 'Nouveau ticket' });
    await form.getByLabel(/^Titre/).fill('scanner numérise');
    await form
      .getByRole('region', { name: 'Cela peut vous aider :' })
      .getByRole('link', { name: /Le scanner ne numérise plus vers la messagerie/ })
      .waitFor();
  }, 120_000);

  it('a requester attaches a file in the portal; the technician downloads it from the ticket', async () => {
    const claire = await apiSession(REQUESTER.email, REQUESTER.password);
    const ticket = await claire.call<{ id: string }>('POST', '/tickets', {
      orgId: claire.me.memberships[0]?.orgId ?? '',
      title: 'Le badge ne passe plus à l’accueil',
    });
    await claire.ctx.dispose();
    const CONTENT = 'Badge n° 4521 — refusé à 8 h 02.\n';

    const asker = await j.open();
    await j.logIn(asker, REQUESTER);
    await asker.getByRole('heading', { name: 'Bonjour, Claire Martin' }).waitFor();
    await asker.goto(`${j.url()}/portal/${ticket.id}`);
    const files = asker.getByRole('region', { name: 'Pièces jointes' });
    await files.getByText('Aucune pièce jointe.').waitFor();
    await files.getByRole('button', { name: 'Ajouter un fichier' }).waitFor();
    await files.locator('input[type="file"]').setInputFiles({
      name: 'journal-badge.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(CONTENT),
    });
    await files.getByRole('link', { name: 'Télécharger « journal-badge.txt »' }).waitFor();
    await story(asker).getByText('Claire Martin a joint « journal-badge.txt »').waitFor();

    const tech = await j.open();
    await j.logIn(tech, TECHNICIAN);
    await tech.getByRole('heading', { name: /^(Bonjour|Hello), Paul Durand$/ }).waitFor();
    await tech.goto(`${j.url()}/tickets/${ticket.id}`);
    const techFiles = tech.getByRole('region', { name: /^(Pièces jointes|Attachments)$/ });
    const link = techFiles.getByRole('link', { name: /journal-badge\.txt/ });
    await link.waitFor();
    await techFiles.getByText(/0,1 Ko|0\.1 KB/).waitFor();
    await story(tech)
      .getByText(/^Claire Martin (a joint « journal-badge\.txt »|attached "journal-badge\.txt")$/)
      .waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(new RegExp(`^/api/v1/tickets/${ticket.id}/attachments/[0-9a-f-]+$`));
    const file = await tech.request.get(`${j.url()}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-disposition']).toContain('journal-badge.txt');
    expect((await file.body()).toString('utf8')).toBe(CONTENT);
  }, 60_000);
});
