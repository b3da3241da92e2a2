import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS_DIR } from './browser.js';
import { journey, nav, type Person } from './journey.js';
import { apiSession } from './people.js';

/**
 * The supervisor's view, in English (the language saved on their account, from a French browser): the
 * home shows the state of the service, whose tiles lead to lists with as many rows as they count; the
 * incident report of the month matches the tickets seeded, another period reads empty, and the PDF, CSV
 * and Excel downloads answer with their files.
 */

const SUPERVISOR: Person = {
  email: 'nadia.roux@example.test',
  name: 'Nadia Roux',
  password: 'Nadia-Password-2024!',
};

type Category = { id: string; active: boolean; name: { fr: string; en: string } };
/** Three tickets in the first category (one resolved), two in the second (one resolved). */
let first: Category;
let second: Category;

const j = journey(async (admin, orgId, parc) => {
  await j.addPerson(admin, orgId, SUPERVISOR, 'supervisor');
  const boss = await apiSession(parc.url, SUPERVISOR.email, SUPERVISOR.password);
  await boss.call('PATCH', '/me', { locale: 'en' });
  await boss.ctx.dispose();

  const categories = await admin.call<{ items: Category[] }>('GET', `/ticket-categories?orgId=${orgId}`);
  const active = categories.items.filter((c) => c.active);
  expect(active.length, 'two ticket categories to seed').toBeGreaterThanOrEqual(2);
  [first, second] = active as [Category, Category];
  const seed: Array<[Category, string, boolean]> = [
    [first, 'Laptop screen flickers', true],
    [first, 'Docking station not detected', false],
    [first, 'Keyboard missing keys', false],
    [second, 'Cannot open the payroll application', true],
    [second, 'Spreadsheet add-in crashes', false],
  ];
  for (const [category, title, resolved] of seed) {
    const ticket = await admin.call<{ id: string; version: number }>('POST', '/tickets', {
      orgId,
      title,
      categoryId: category.id,
      source: 'phone',
    });
    if (resolved) {
      await admin.call(
        'POST',
        `/tickets/${ticket.id}/solve`,
        { solution: 'Fixed on the phone with the user.' },
        { 'If-Match': `"v${ticket.version}"` },
      );
    }
  }
});

/** The login page is in the browser's French; the account's English takes over once signed in. */
async function logIn(page: Page) {
  await j.logIn(page, SUPERVISOR);
  await page.getByRole('heading', { name: `Hello, ${SUPERVISOR.name}` }).waitFor();
  await expect(page.evaluate('document.documentElement.lang')).resolves.toBe('en');
}

/** A tile's figure: the number beside its title. */
async function tileFigure(tile: Locator, title: string): Promise<number> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text shown.
  const lines = (await tile.innerText())
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
  expect(lines[0]).toBe(title);
  return Number(lines[1]);
}

/** A figure of the report: its card holds the label, the value and the previous period's value. */
async function figure(page: Page, label: string): Promise<string[]> {
  const card = page.getByText(label, { exact: true }).locator('xpath=..');
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text shown.
  return (await card.innerText())
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** The rows of a chart's table: label, this period, the previous one. */
async function chartRows(page: Page, name: string): Promise<string[][]> {
  const rows = page.getByRole('table', { name, exact: true }).locator('tbody tr');
  const out: string[][] = [];
  for (const row of await rows.all())
    out.push((await row.getByRole('cell').allInnerTexts()).map((x) => x.trim()));
  return out;
}

/** Words of the French catalogue for these screens; none may show in English. */
const FRENCH = [
  'Bonjour',
  'État du service',
  'Tickets ouverts',
  'Voir la liste',
  'Rapport des incidents',
  'Période',
  'Tickets créés',
  'Tickets résolus',
  'Télécharger',
  'Par catégorie',
  'Aucun ticket',
];
async function expectNoFrench(page: Page) {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text shown.
  const text = await page.locator('body').innerText();
  for (const word of FRENCH) expect(text, `French text "${word}" on ${page.url()}`).not.toContain(word);
}

describe('reports and dashboards', () => {
  it('a supervisor’s home counts what the lists hold, and the month’s report matches the tickets', async () => {
    const page = await j.open();
    await logIn(page);

    // The home is the supervisor's dashboard: 3 tickets still open, 5 this month, 3 in the first category.
    const board = page.getByRole('region', { name: 'State of the service' });
    const backlog = board.getByLabel('Open tickets', { exact: true });
    await backlog.waitFor();
    await expect.poll(() => tileFigure(backlog, 'Open tickets')).toBe(3);
    const byCategory = board.getByLabel('Incidents this month by category', { exact: true });
    await expect.poll(() => tileFigure(byCategory, 'Incidents this month by category')).toBe(5);
    const firstLink = byCategory.getByRole('link', { name: first.name.en, exact: true });
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text shown.
    await expect(firstLink.locator('xpath=..').innerText()).resolves.toMatch(
      new RegExp(`${first.name.en}\\s+3$`),
    );
    await expect(page.getByRole('region', { name: 'My dashboard' }).count()).resolves.toBe(0);
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'dashboard-supervisor-en.png'), fullPage: true });

    // The open tickets tile leads to the list of the open tickets: as many rows as it counts.
    await backlog.getByRole('link', { name: 'See the list' }).click();
    await page.waitForURL(/\/tickets\?tab=open$/);
    const openList = page.getByRole('table', { name: 'All open' });
    await openList.getByRole('row').filter({ hasText: 'Docking station not detected' }).waitFor();
    await expect(openList.locator('tbody tr').count()).resolves.toBe(3);
    await expect(openList.getByText('Laptop screen flickers').count()).resolves.toBe(0);

    // The category's line leads to the tickets of that category: 3 rows, resolved one included.
    await nav(page).getByRole('link', { name: 'Home' }).click();
    await firstLink.click();
    await page.waitForURL(new RegExp(`/tickets\\?tab=all&categoryId=${first.id}$`));
    const all = page.getByRole('table', { name: 'All tickets' });
    await all.getByRole('row').filter({ hasText: 'Laptop screen flickers' }).waitFor();
    await expect(all.locator('tbody tr').count()).resolves.toBe(3);
    await expect(all.getByText('Spreadsheet add-in crashes').count()).resolves.toBe(0);

    // The month's report: the figures of the seeded tickets.
    await nav(page).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Incident report' }).waitFor();
    await expect.poll(() => page.getByRole('radio', { name: 'Month' }).isChecked()).toBe(true);
    await expect.poll(() => figure(page, 'Tickets created')).toEqual(['Tickets created', '5', 'before: 0']);
    await expect(figure(page, 'Tickets resolved')).resolves.toEqual(['Tickets resolved', '2', 'before: 0']);
    await expect(figure(page, 'Open at period start')).resolves.toEqual([
      'Open at period start',
      '0',
      'before: 0',
    ]);
    await expect(figure(page, 'Open at period end')).resolves.toEqual([
      'Open at period end',
      '3',
      'before: 0',
    ]);
    await expect(chartRows(page, 'By category')).resolves.toEqual([
      [first.name.en, '3', '0'],
      [second.name.en, '2', '0'],
    ]);
    // The trend's days add up to the same figures.
    const trend = await chartRows(page, 'Created and resolved');
    expect(trend.length).toBeGreaterThanOrEqual(28);
    expect(trend.reduce((n, [, created]) => n + Number(created), 0)).toBe(5);
    expect(trend.reduce((n, [, , resolved]) => n + Number(resolved), 0)).toBe(2);
    const now = new Date();
    const range = page.getByText(/^Parc — From .+ to .+$/);
    await expect(range.textContent()).resolves.toContain(String(now.getUTCFullYear()));
    const monthRange = await range.textContent();
    await expect(page.getByText('No ticket over this period.').count()).resolves.toBe(0);
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'report-month-en.png'), fullPage: true });

    // The downloads: the month's report as PDF, CSV and Excel, with the seeded figures in the CSV.
    const formats: Array<[string, string, string]> = [
      ['PDF', 'application/pdf', '%PDF'],
      ['CSV', 'text/csv; charset=utf-8', ''],
      ['Excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'PK'],
    ];
    for (const [name, type, magic] of formats) {
      const href = (await page.getByRole('link', { name, exact: true }).getAttribute('href')) ?? '';
      expect(href).toContain('/api/v1/reports/incidents.');
      expect(href).toContain('period=month');
      const file = await page.request.get(new URL(href, j.url()).toString());
      expect(file.status(), `${name}: ${await file.text()}`).toBe(200);
      expect(file.headers()['content-type']).toBe(type);
      expect(file.headers()['content-disposition']).toMatch(/^attachment; filename="incident-report-/);
      const body = await file.body();
      if (magic) expect(body.subarray(0, magic.length).toString('latin1')).toBe(magic);
      else {
        const csv = body.toString('utf8');
        expect(csv).toContain(first.name.en);
        expect(csv).toContain(second.name.en);
      }
    }

    // The month before: nothing yet, said so.
    const before = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
    await page.getByLabel('Day in the period').fill(before.toISOString().slice(0, 10));
    await page.getByText('No ticket over this period.').waitFor();
    await expect.poll(() => figure(page, 'Tickets created')).toEqual(['Tickets created', '0', 'before: 0']);
    await expect(figure(page, 'Open at period end')).resolves.toEqual([
      'Open at period end',
      '0',
      'before: 0',
    ]);
    await expect(range.textContent()).resolves.not.toBe(monthRange);
    await expect(chartRows(page, 'By category')).resolves.toEqual([]);
    expect(new URL(page.url()).searchParams.get('from')).toBe(before.toISOString().slice(0, 10));

    // This week: every ticket was created today.
    await page.getByLabel('Day in the period').fill('');
    await page.getByText('Week', { exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('week');
    await expect.poll(() => range.textContent()).not.toBe(monthRange);
    await expect.poll(() => figure(page, 'Tickets created')).toEqual(['Tickets created', '5', 'before: 0']);
    await expect(figure(page, 'Tickets resolved')).resolves.toEqual(['Tickets resolved', '2', 'before: 0']);
    // The links follow the period once the page has re-rendered: polled, not read once.
    const csv = page.getByRole('link', { name: 'CSV', exact: true });
    await expect.poll(async () => (await csv.getAttribute('href')) ?? '').toContain('period=week');
    await expectNoFrench(page);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'report-week-en.png'), fullPage: true });
  }, 120_000);
});
