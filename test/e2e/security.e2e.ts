import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, SHOTS_DIR } from './browser.js';
import { apiSession, createUser } from './people.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Parc, startParc } from './server.js';

/**
 * The security officer in French: a brute force arrives through the HTTP ingest; the officer's bell
 * shows the alert, the incident has its evidence lines and is taken on; the events explorer filters by
 * address; a rule with a mistake is refused with its line and column.
 */

let parc: Parc;
const browsers: Browser[] = [];
const OFFICER = { email: 'ines.moreau@example.test', name: 'Inès Moreau', password: 'Ines-Password-2024!' };
const ATTACKER = '203.0.113.77';

beforeAll(async () => {
  parc = await startParc();
  await mkdir(SHOTS_DIR, { recursive: true });
  const admin = await apiSession(parc.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  const orgId = admin.me.memberships[0]?.orgId ?? '';
  await createUser(admin, parc.url, orgId, OFFICER, 'security_officer');
  const { token } = await admin.call<{ token: string }>('POST', '/security/ingest-tokens', { orgId });
  const now = Date.now();
  const lines = Array.from(
    { length: 6 },
    (_, i) =>
      `<38>1 ${new Date(now - (6 - i) * 10_000).toISOString()} web1 sshd 4242 - - Failed password for root from ${ATTACKER} port ${50000 + i} ssh2`,
  );
  const res = await admin.ctx.post('/api/v1/security/ingest?source=web1', {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    data: `${lines.join('\n')}\n`,
  });
  expect(res.status(), await res.text()).toBe(200);
  await admin.ctx.dispose();
});
afterAll(async () => {
  await parc?.stop();
});
afterEach(async () => {
  const problems = browsers.flatMap((b) => b.problems);
  for (const b of browsers.splice(0)) await b.close();
  expect(problems, 'page errors or answers outside the API contract').toEqual([]);
});

async function logIn(page: Page) {
  await page.goto(parc.url);
  await page.getByRole('heading', { name: 'Connexion' }).waitFor();
  await page.getByLabel(/^Adresse e-mail/).fill(OFFICER.email);
  await page.getByLabel(/^Mot de passe/).fill(OFFICER.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: `Bonjour, ${OFFICER.name}` }).waitFor();
}

describe('security', () => {
  it('the officer is alerted, takes the incident on, explores the events and writes a rule', async () => {
    // The worker tells the officers within about a second of the detection.
    const officer = await apiSession(parc.url, OFFICER.email, OFFICER.password);
    await expect
      .poll(async () => (await officer.call<{ unread: number }>('GET', '/security/notifications')).unread, {
        timeout: 15_000,
      })
      .toBe(1);
    // The figure for the report: detection to officers told, by the real server's worker (1 s poll).
    const [incident] = (
      await officer.call<{ items: Array<{ detectedAt: string; alertedAt: string | null }> }>(
        'GET',
        '/security/incidents',
      )
    ).items;
    expect(incident?.alertedAt).toBeTruthy();
    console.log(
      `security alert delay in the running server: ${Date.parse(incident!.alertedAt!) - Date.parse(incident!.detectedAt)} ms`,
    );
    await officer.ctx.dispose();
    const browser = await openBrowser({ locale: 'fr-FR' });
    browsers.push(browser);
    const page = browser.page;
    await logIn(page);

    // The bell: one unread alert, which leads to the incident.
    await page.getByRole('button', { name: 'Alertes de sécurité (1 non lues)' }).click();
    await page.getByRole('menuitem', { name: /Nouvel incident : SSH brute force/ }).click();
    await page.getByRole('heading', { name: 'SSH brute force', level: 2 }).waitFor();
    const evidence = page.getByRole('table', { name: 'Preuves (lignes de journal)' });
    await expect.poll(() => evidence.getByRole('row').count()).toBe(7);
    await page.getByRole('button', { name: 'Prendre en charge' }).click();
    await page.getByText('En analyse', { exact: true }).waitFor();

    // The events explorer, filtered on the attacker's address.
    await page.getByRole('link', { name: '← Incidents de sécurité' }).click();
    await page.getByRole('tab', { name: 'Événements' }).click();
    await page.getByRole('textbox', { name: 'Adresse IP' }).fill(ATTACKER);
    const events = page.getByRole('table', { name: 'Événements' });
    // Each event's raw line is shown under it.
    await expect.poll(() => events.getByText(`from ${ATTACKER}`).count(), { timeout: 10_000 }).toBe(6);
    await page.getByRole('img', { name: 'Événements dans le temps' }).waitFor();

    // A rule with a mistake: refused with its line and column.
    await page.getByRole('tab', { name: 'Règles' }).click();
    await page
      .getByRole('table', { name: 'Règles' })
      .getByText('ssh-brute-force', { exact: false })
      .waitFor();
    await page
      .getByLabel(/^Nouvelle règle/)
      .fill(
        'id: x\ntitle: X\nseverity: high\ndetection:\n  sel:\n    action: login\n  condition: sel and nope\n',
      );
    await page.getByRole('button', { name: 'Tester sur les dernières 24 heures' }).click();
    await page.getByText(/Ligne 7, colonne \d+/).waitFor();
    await page.screenshot({ path: `${SHOTS_DIR}/security-rules.png`, fullPage: true });
  });
});
