import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, SHOTS_DIR } from './browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Parc, startParc } from './server.js';

/**
 * The fleet screens (locations, rack elevation, assets, history, list filters, catalogue, import) used
 * in English from a French browser: every label must come from the English catalogue, none from the
 * French one.
 */

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

const nav = (page: Page) => page.getByRole('navigation', { name: /Navigation principale|Main navigation/ });

/** Log in on the French page, then switch to English with the header's button (saved on the account). */
async function logInInEnglish(page: Page) {
  await page.goto(parc.url);
  await page.getByRole('heading', { name: 'Connexion' }).waitFor();
  await page.getByLabel(/^Adresse e-mail/).fill(ADMIN_EMAIL);
  await page.getByLabel(/^Mot de passe/).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: /^Bonjour/ }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await nav(page).getByRole('link', { name: 'Locations' }).waitFor();
  await page.getByRole('heading', { name: 'Hello, Administrator' }).waitFor();
  await expect(page.evaluate('document.documentElement.lang')).resolves.toBe('en');
}

/** Words of the French catalogue for these screens; none may show once the interface is in English. */
const FRENCH_WORDS = [
  'Accueil',
  'Emplacement',
  'Parc matériel',
  'Nouvel équipement',
  'Nouveau',
  'Nouvelle',
  'Modifier',
  'Supprimer',
  'Déplacer',
  'Fermer',
  'Contenu',
  'Enregistrer',
  'Annuler',
  'Créer',
  'Rechercher',
  'Statut',
  'Historique',
  'Liaisons',
  'Bâtiment',
  'Salle',
  'Baie',
  'Élévation',
  'Vide',
  'Tous',
  'Aucun',
  'Fabricant',
  'Fournisseur',
  'Modèle',
  'Exporter',
  'Importer',
  'Fichier',
  'Colonnes',
  'Vérification',
  'En stock',
  'Déployé',
];

/**
 * Nothing French on the page: none of the words above (as whole words, in any case since some labels
 * are shown in capitals, with their plural or feminine endings), and no accented letter or French
 * quote (the data typed by these journeys has none either).
 */
async function expectNoFrench(page: Page) {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text shown (no hidden nodes).
  const text = await page.locator('body').innerText();
  for (const word of FRENCH_WORDS) {
    const pattern = new RegExp(`(?<!\\p{L})${word}(?:e|s|es)?(?!\\p{L})`, 'iu');
    expect(text, `French text "${word}" on ${page.url()}`).not.toMatch(pattern);
  }
  expect(text, `accented letters on ${page.url()}`).not.toMatch(/[àâçéèêëîïôûùüœÀÂÇÉÈÊÎÔÛ«»]/);
}

/** Open a Mantine select, type to search, and pick the option. */
async function pick(page: Page, input: Locator, search: string, option: string) {
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** A call to the API from the signed-in page, with its CSRF proof. */
async function api<T>(page: Page, method: string, url: string, body?: object): Promise<T> {
  const cookies = await page.context().cookies();
  const csrf = decodeURIComponent(cookies.find((c) => c.name === 'parc_csrf')?.value ?? '');
  return page.evaluate(
    async ({ method, url, body, csrf }) => {
      const res = await fetch(`/api/v1${url}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        ...(body && { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return res.status === 204 ? null : res.json();
    },
    { method, url, body, csrf },
  ) as Promise<T>;
}

/** Add a child location from the panel of its parent, then open it. */
async function addChild(page: Page, parent: string, kind: string, name: string, rackUnits?: number) {
  const panel = page.getByRole('region', { name: parent });
  await panel.getByRole('button', { name: 'Add inside this location' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add inside this location' });
  const kindInput = dialog.getByRole('combobox', { name: 'Kind' });
  if ((await kindInput.inputValue()) !== kind) {
    await kindInput.click();
    await page.getByRole('option', { name: kind, exact: true }).click();
  }
  await expect.poll(() => kindInput.inputValue()).toBe(kind);
  await dialog.getByLabel(/^Name/).fill(name);
  if (rackUnits !== undefined) await dialog.getByLabel(/^Rack height \(U\)/).fill(String(rackUnits));
  await expectNoFrench(page);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await panel.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, level: 3 }).waitFor();
}

const SITE = 'Head office';
const BUILDING = 'Building A';
const ROOM = 'Server room';
const RACK = 'Rack R1';
const RACK_PATH = `${SITE} › ${BUILDING} › ${ROOM} › ${RACK}`;

describe('the fleet in English', () => {
  it('a technician builds a site down to a rack, racks a server, changes its status and finds it by the site', async () => {
    const { page } = browser;
    await logInInEnglish(page);

    // 1. Locations: a site, a building, a room and a 42 U rack, each from its parent's panel.
    await nav(page).getByRole('link', { name: 'Locations' }).click();
    await page.getByRole('heading', { name: 'Locations', level: 2 }).waitFor();
    await page.getByText('No site yet. Start by creating a site.').waitFor();
    await page.getByText('Choose a location in the tree.').waitFor();
    await page.getByRole('navigation', { name: 'Location tree' }).waitFor();
    await expectNoFrench(page);

    await page.getByRole('button', { name: 'New site' }).click();
    const siteDialog = page.getByRole('dialog', { name: 'New site' });
    await expect
      .poll(() => siteDialog.getByRole('combobox', { name: 'Organisation' }).inputValue())
      .toBe('Parc');
    await expect(siteDialog.getByLabel(/^Kind/).inputValue()).resolves.toBe('Site');
    await siteDialog.getByLabel(/^Name/).fill(SITE);
    await siteDialog.getByLabel(/^Address/).fill('1 Main Street, Lyon');
    await expectNoFrench(page);
    await siteDialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: SITE, level: 3 }).waitFor();
    const siteUrl = page.url();
    expect(siteUrl).toMatch(/\/locations\/[0-9a-f-]{36}$/);
    const sitePanel = page.getByRole('region', { name: SITE });
    await sitePanel.getByText('0 assets here and below').waitFor();
    await sitePanel.getByRole('heading', { name: 'Contents' }).waitFor();
    await sitePanel.getByText('Nothing inside.').waitFor();
    await page
      .getByRole('tree')
      .getByRole('link', { name: `${SITE} Site` })
      .waitFor();
    for (const button of ['Add inside this location', 'Edit', 'Move', 'Delete']) {
      await sitePanel.getByRole('button', { name: button }).waitFor();
    }
    await expectNoFrench(page);

    await addChild(page, SITE, 'Building', BUILDING);
    await addChild(page, BUILDING, 'Room', ROOM);
    await addChild(page, ROOM, 'Rack', RACK, 42);

    // The rack: its breadcrumb, its height and an empty elevation of 42 U, all in English.
    const rackUrl = page.url();
    const rackPanel = page.getByRole('region', { name: RACK });
    for (const ancestor of [SITE, BUILDING, ROOM]) {
      await rackPanel.getByRole('link', { name: ancestor, exact: true }).waitFor();
    }
    await rackPanel.getByText('Rack height (U) — 42 U').waitFor();
    await rackPanel.getByRole('heading', { name: 'Rack elevation' }).waitFor();
    await rackPanel.getByText('0 of 42 U occupied').waitFor();
    const elevation = rackPanel.getByRole('table', {
      name: 'Rack elevation, from the highest U to the lowest',
    });
    await elevation.getByRole('columnheader', { name: 'U', exact: true }).waitFor();
    await elevation.getByRole('columnheader', { name: 'Asset' }).waitFor();
    await expect(elevation.getByRole('rowheader').count()).resolves.toBe(42);
    await expect(elevation.getByRole('rowheader').first().textContent()).resolves.toBe('U42');
    await expect(elevation.getByRole('rowheader').last().textContent()).resolves.toBe('U1');
    await expect(elevation.getByText('Empty', { exact: true }).count()).resolves.toBe(42);
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'en-rack-empty.png'), fullPage: true });

    // 2. A 2 U server in that rack at U10, from the asset list.
    await nav(page).getByRole('link', { name: 'Assets' }).click();
    await page.getByRole('heading', { name: 'Assets', level: 2 }).waitFor();
    await page.getByText('No asset matches.').waitFor();
    await expectNoFrench(page);
    await page.getByRole('button', { name: 'New asset' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New asset' });
    await dialog.getByLabel(/^Name/).fill('db-01');
    await pick(page, dialog.getByLabel(/^Type/), 'Serv', 'Server');
    await dialog.getByLabel(/^Asset tag/).fill('SRV-0001');
    await dialog.getByLabel(/^Serial number/).fill('SN-DB-01');
    await dialog.getByText('Models offered are those of the chosen type.').waitFor();
    await pick(page, dialog.getByLabel(/^Location/), 'R1', RACK_PATH);
    await dialog.getByLabel(/^Position \(U\)/).fill('10');
    await dialog.getByLabel(/^Height \(U\)/).fill('2');
    await dialog.getByText('Lowest U occupied, 1 at the bottom of the rack.').waitFor();
    await expect(dialog.getByLabel(/^Status/).inputValue()).resolves.toBe('In stock');
    await expectNoFrench(page);
    await dialog.getByRole('button', { name: 'Create' }).click();

    // The asset page: status, where it is (the whole path) and its place in the rack.
    await page.getByRole('heading', { name: 'db-01', level: 2 }).waitFor();
    const assetUrl = page.url();
    const details = page.getByRole('region', { name: 'Details' });
    await details.getByRole('link', { name: RACK_PATH }).waitFor();
    await details.getByText('Rack: U10 to U11').waitFor();
    await details.getByText('Server', { exact: true }).waitFor();
    await details.getByText('SRV-0001').waitFor();
    for (const label of [
      'Type',
      'Model',
      'Asset tag',
      'Serial number',
      'Location',
      'Assigned to',
      'Supplier',
    ]) {
      await details.getByText(label, { exact: true }).waitFor();
    }
    await page.getByText('In stock', { exact: true }).first().waitFor();
    await page.getByRole('link', { name: '← Back to assets' }).waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText('Administrator created the asset').waitFor();
    await page.getByRole('region', { name: 'Relations' }).getByText('No relation.').waitFor();
    await expectNoFrench(page);

    // A status change, with a note, shown in the history with the author's name.
    await page.getByRole('button', { name: 'Change status' }).click();
    const deployed = page.getByRole('menuitem', { name: 'Deployed' });
    await deployed.waitFor();
    // Only the moves allowed from "in stock" are offered.
    await expect(page.getByRole('menuitem', { name: 'Disposed' }).count()).resolves.toBe(0);
    await deployed.click();
    const statusDialog = page.getByRole('dialog', { name: 'Move to “Deployed”' });
    await statusDialog.getByText('Optional: the reason for the change, shown in the history.').waitFor();
    await statusDialog.getByLabel(/^Note/).fill('Racked and cabled');
    await expectNoFrench(page);
    await statusDialog.getByRole('button', { name: 'Confirm' }).click();
    await statusDialog.waitFor({ state: 'hidden' });
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await history.getByText('Administrator changed the status').waitFor();
    await history.getByText('Status: In stock → Deployed').waitFor();
    await history.getByText('“Racked and cabled”').waitFor();
    await page.getByText('Deployed', { exact: true }).first().waitFor();
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'en-asset.png'), fullPage: true });

    // The rack now shows the server across U11 and U10.
    await details.getByRole('link', { name: RACK_PATH }).click();
    expect(page.url()).toBe(rackUrl);
    await rackPanel.getByText('2 of 42 U occupied').waitFor();
    await rackPanel.getByText('1 asset here and below').waitFor();
    await elevation.getByRole('link', { name: 'db-01' }).waitFor();
    await expect(elevation.getByText('Empty', { exact: true }).count()).resolves.toBe(40);
    await expect(elevation.getByRole('rowheader').count()).resolves.toBe(42);
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'en-rack.png'), fullPage: true });

    // 3. The list, filtered by the site: the whole subtree counts, an asset elsewhere does not.
    const me = await api<{ memberships: Array<{ orgId: string }> }>(page, 'GET', '/me');
    await api(page, 'POST', '/assets', {
      orgId: me.memberships[0]!.orgId,
      name: 'Spare laptop',
      typeId: '00000000-0000-7000-8000-000000000002',
    });
    await nav(page).getByRole('link', { name: 'Assets' }).click();
    await page.getByRole('heading', { name: 'Assets', level: 2 }).waitFor();
    const table = page.getByRole('table', { name: 'Assets' });
    await table.getByRole('link', { name: 'Spare laptop' }).waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(2);
    for (const header of [
      'Name',
      'Asset tag',
      'Serial number',
      'Type',
      'Status',
      'Location',
      'Assigned to',
    ]) {
      await table.getByRole('columnheader', { name: header, exact: true }).waitFor();
    }
    for (const filter of [
      'Search',
      'Organisation',
      'Type',
      'Status',
      'Location',
      'Assigned to',
      'Sort by',
      'Order',
    ]) {
      await page.getByLabel(filter, { exact: true }).first().waitFor();
    }
    await page.getByText('No saved search yet.').waitFor();
    await page.getByRole('button', { name: 'Save this search' }).waitFor();

    await pick(page, page.getByRole('combobox', { name: 'Location' }), 'Head', SITE);
    await expect.poll(() => page.url()).toContain('locationId=');
    const siteId = siteUrl.split('/').pop() ?? '';
    expect(new URL(page.url()).searchParams.get('locationId')).toBe(siteId);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    const row = table.getByRole('row').filter({ hasText: 'db-01' });
    await row.getByText('SRV-0001').waitFor();
    await row.getByText('Deployed').waitFor();
    await row.getByText('Server', { exact: true }).waitFor();
    await row.getByText(RACK_PATH).waitFor();
    await expect(table.getByText('Spare laptop').count()).resolves.toBe(0);

    await page.getByRole('link', { name: 'Import', exact: true }).waitFor();
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'en-assets.png'), fullPage: true });

    // The export, labelled in English, follows the filters and speaks the interface's language, not
    // the browser's (which asks for French).
    const exported = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export (CSV)' }).click();
    const download = await exported;
    expect(download.suggestedFilename()).toMatch(/^assets-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    const [header = '', ...lines] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(header.split(';')).toEqual([
      'Id',
      'Name',
      'Asset tag',
      'Serial',
      'Type',
      'Status',
      'Location',
      'User',
      'Purchased',
      'Warranty end',
      'Contract end',
      'Notes',
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('db-01');
    // The type by its English name; the status stays a code, the same in both languages.
    expect(lines[0]).toContain(
      `;db-01;SRV-0001;SN-DB-01;Server;deployed;${RACK_PATH.replaceAll(' › ', ' / ')};`,
    );

    // The site's own page says the same, and leads to the same filtered list.
    await page.goto(siteUrl);
    await sitePanel.getByText('1 asset here and below').waitFor();
    await sitePanel.getByRole('link', { name: 'See the assets' }).click();
    await page.getByRole('heading', { name: 'Assets', level: 2 }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Location' }).inputValue()).toBe(SITE);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await table.getByRole('link', { name: 'db-01' }).click();
    expect(page.url()).toBe(assetUrl);
    await page.getByRole('heading', { name: 'db-01', level: 2 }).waitFor();
  }, 120_000);

  it('the catalogue shows its four tabs with English headings and labels', async () => {
    const { page } = browser;
    await logInInEnglish(page);
    await nav(page).getByRole('link', { name: 'Catalogue' }).click();
    await page.getByRole('heading', { name: 'Catalogue', level: 2 }).waitFor();
    const tabs = ['Manufacturers', 'Suppliers', 'Models', 'Asset types'];
    for (const tab of tabs) {
      await page.getByRole('tab', { name: tab }).waitFor();
    }
    await expect(
      page.getByRole('tab', { name: 'Manufacturers' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');

    // Manufacturers: the empty state, then a new one in the table.
    await page.getByText('Nothing matches.').waitFor();
    await page.getByText('Nothing to show').waitFor();
    await expectNoFrench(page);
    await page.getByRole('button', { name: 'New manufacturer' }).click();
    const maker = page.getByRole('dialog', { name: 'New manufacturer' });
    for (const label of [/^Name/, /^Website/, /^Contact e-mail/, /^Phone/, /^Notes/]) {
      await maker.getByLabel(label).waitFor();
    }
    await maker.getByLabel(/^Name/).fill('Dell');
    await expectNoFrench(page);
    await maker.getByRole('button', { name: 'Create' }).click();
    const makers = page.getByRole('table', { name: 'Manufacturers' });
    await makers.getByText('Dell').waitFor();
    for (const header of ['Name', 'Website', 'Contact e-mail', 'Phone', 'Actions']) {
      await makers.getByRole('columnheader', { name: header }).waitFor();
    }
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await expectNoFrench(page);

    // Suppliers.
    await page.getByRole('tab', { name: 'Suppliers' }).click();
    await page.getByRole('button', { name: 'New supplier' }).waitFor();
    await expect.poll(() => page.url()).toContain('tab=suppliers');
    await page.getByText('Nothing matches.').waitFor();
    await expectNoFrench(page);

    // Models: a server model of that manufacturer, with its lifetime and power.
    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByText('No model matches.').waitFor();
    await page.getByRole('button', { name: 'New model' }).click();
    const dialog = page.getByRole('dialog', { name: 'New model' });
    await pick(page, dialog.getByLabel(/^Manufacturer/), 'Dell', 'Dell');
    await pick(page, dialog.getByLabel(/^Type/), 'Serv', 'Server');
    await dialog.getByLabel(/^Name/).fill('PowerEdge R650');
    await dialog.getByLabel(/^Lifetime \(months\)/).fill('60');
    await dialog.getByLabel(/^Power \(W\)/).fill('800');
    await dialog.getByLabel(/^Box contents/).fill('Rail kit\nPower cables');
    await dialog.getByText('One item per line.').waitFor();
    await expectNoFrench(page);
    await dialog.getByRole('button', { name: 'Create' }).click();
    const models = page.getByRole('table', { name: 'Models' });
    const row = models.getByRole('row').filter({ hasText: 'PowerEdge R650' });
    await row.waitFor();
    await row.getByText('60 months').waitFor();
    await row.getByText('800 W').waitFor();
    await row.getByText('Rail kit').waitFor();
    for (const header of ['Name', 'Type', 'Lifetime', 'Power', 'Box contents', 'Actions']) {
      await models.getByRole('columnheader', { name: header, exact: true }).waitFor();
    }
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await expectNoFrench(page);

    // Asset types: the built-in ones under their English names and categories.
    await page.getByRole('tab', { name: 'Asset types' }).click();
    const types = page.getByRole('table', { name: 'Asset types' });
    await types.waitFor();
    for (const header of ['Name', 'Category', 'Custom fields', 'Actions']) {
      await types.getByRole('columnheader', { name: header }).waitFor();
    }
    const server = types.getByRole('row').filter({ has: page.getByText('server', { exact: true }) });
    await expect(server.getByText('Server', { exact: true }).count()).resolves.toBe(2); // name and category
    await server.getByText('Built-in').waitFor();
    await types.getByText('Desktop computer').waitFor();
    await types.getByText('Wi-Fi access point').waitFor();
    await page.getByRole('button', { name: 'New type' }).waitFor();
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'en-catalogue-types.png'), fullPage: true });
  });

  it('the import wizard reads a CSV, checks it without writing and imports it, all in English', async () => {
    const { page } = browser;
    await logInInEnglish(page);
    await nav(page).getByRole('link', { name: 'Assets' }).click();
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import assets' }).waitFor();
    for (const step of ['File', 'Columns', 'Check']) {
      await page.getByText(step, { exact: true }).waitFor();
    }
    await page.getByText('A header line, then one asset per line (20 MB at most).').waitFor();
    await expect(page.getByRole('button', { name: 'Read the file' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Back to assets' }).waitFor();
    await expectNoFrench(page);

    const file = page.locator('input[type="file"]');
    const csv = (rows: string[]) => ({
      name: 'fleet.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['Name,Type,Status,Asset tag,Purchase date', ...rows].join('\n')),
    });

    // A file with one bad date: the check names the line, in English, and nothing can be imported.
    await file.setInputFiles(
      csv([
        'Imported switch,Switch,in stock,IMP-001,2024-03-31',
        'Imported router,Router,in stock,IMP-002,soon',
      ]),
    );
    await page.getByRole('button', { name: 'Read the file' }).click();
    await page.getByRole('heading', { name: 'Column mapping' }).waitFor();
    await page.getByText(/^2 row\(s\), encoding .+, delimiter “,”$/).waitFor();
    await page.getByText('Choose the field each file column fills.').waitFor();
    const mapped: Array<[string, string]> = [
      ['Name', 'Name'],
      ['Type', 'Type'],
      ['Status', 'Status'],
      ['Asset tag', 'Asset tag'],
      ['Purchase date', 'Purchase date'],
    ];
    for (const [column, field] of mapped) {
      await expect(page.getByRole('combobox', { name: column, exact: true }).inputValue()).resolves.toBe(
        field,
      );
    }
    const sample = page.getByRole('table', { name: 'First rows' });
    await sample.getByRole('columnheader', { name: 'Line' }).waitFor();
    await sample.getByText('Imported router').waitFor();
    await expectNoFrench(page);
    await page.getByRole('button', { name: 'Check (writes nothing)' }).click();
    const errors = page.getByRole('alert').filter({ hasText: 'bad row(s)' });
    await errors.getByText('1 bad row(s): nothing is imported until they are fixed').waitFor();
    await errors.getByText('Line 3 (Purchase date)').waitFor();
    await errors.getByText(/Not a date: "soon"/).waitFor();
    await expect(page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).resolves.toBe(true);
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'en-import-errors.png'), fullPage: true });

    // Back to the first step with a corrected file: a clean check, then the import itself.
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Read the file' }).waitFor();
    await file.setInputFiles(
      csv([
        'Imported switch,Switch,in stock,IMP-001,2024-03-31',
        'Imported router,Router,in stock,IMP-002,31/03/2024',
      ]),
    );
    await page.getByRole('button', { name: 'Read the file' }).click();
    await page.getByRole('heading', { name: 'Column mapping' }).waitFor();
    await page.getByRole('button', { name: 'Check (writes nothing)' }).click();
    await page.getByText('No errors: the import can run.').waitFor();
    await page.getByText('2 to create, 0 to update, 0 unchanged').waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Import complete').waitFor();
    await page.getByText('2 created, 0 updated, 0 unchanged').waitFor();
    await page.getByRole('button', { name: 'Import another file' }).waitFor();
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'en-import-done.png'), fullPage: true });

    await page.getByRole('link', { name: 'View assets' }).click();
    const table = page.getByRole('table', { name: 'Assets' });
    await table.getByRole('link', { name: 'Imported router' }).waitFor();
    const router = table.getByRole('row').filter({ hasText: 'Imported router' });
    await router.getByText('Router', { exact: true }).waitFor();
    await router.getByText('In stock').waitFor();
    await expectNoFrench(page);

    // Back to French for whoever comes next.
    await page.getByRole('button', { name: 'Français' }).click();
    await nav(page).getByRole('link', { name: 'Emplacements' }).waitFor();
    await page.getByRole('heading', { name: 'Parc matériel' }).waitFor();
    // The same check sees French when there is some.
    await expect(expectNoFrench(page)).rejects.toThrow(/French text/);
  });
});
