import { describe, expect, it } from 'vitest';
import { SHOTS_DIR } from './browser.js';
import { journey, type Person } from './journey.js';
import { apiSession } from './people.js';

/**
 * The security officer in French: a brute force arrives through the HTTP ingest; the officer's bell
 * shows the alert, the incident has its evidence lines and is taken on; the events explorer filters by
 * address; a rule with a mistake is refused with its line and column.
 */

const OFFICER: Person = {
  email: 'ines.moreau@example.test',
  name: 'Inès Moreau',
  password: 'Ines-Password-2024!',
};
const ATTACKER = '203.0.113.77';

const j = journey(async (admin, orgId) => {
  await j.addPerson(admin, orgId, OFFICER, 'security_officer');
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
});

describe('security', () => {
  it('the officer is alerted, takes the incident on, explores the events and writes a rule', async () => {
    // The worker tells the officers within about a second of the detection.
    const officer = await apiSession(j.url(), OFFICER.email, OFFICER.password);
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
    const page = await j.open();
    await j.logIn(page, OFFICER);
    // Home: the security watch counts the open incident and lists it to acknowledge.
    const watch = page.getByRole('region', { name: 'Veille sécurité' });
    const openTile = watch.getByLabel('Incidents de sécurité ouverts');
    await expect
      .poll(
        async () =>
          // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text shown.
          (await openTile.innerText())
            .split('\n')
            .map((x) => x.trim())
            .filter(Boolean)[1],
      )
      .toBe('1');
    await watch
      .getByLabel('Incidents à prendre en compte')
      .getByRole('link', { name: /^SEC-000001 — / })
      .waitFor();
    // Its list is the incidents still new, filtered from the address.
    await watch
      .getByLabel('Incidents à prendre en compte')
      .getByRole('link', { name: 'Voir la liste' })
      .click();
    await page.waitForURL(/\/security\?tab=incidents&status=new$/);
    await expect
      .poll(() =>
        page
          .getByRole('textbox', { name: 'Statut' })
          .or(page.getByRole('combobox', { name: 'Statut' }))
          .first()
          .inputValue(),
      )
      .toBe('Nouveau');
    await page.goto(j.url());

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
