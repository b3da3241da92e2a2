import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS_DIR } from './browser.js';
import { journey } from './journey.js';
import { ADMIN_EMAIL } from './server.js';

const j = journey();

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

describe('saved searches and relation history', () => {
  it('saves the filters of the asset list under a name, applies them again, and deletes them', async () => {
    const page = await j.open();
    await j.logIn(page);
    await page.goto(`${j.url()}/assets?status=in_repair&sort=updatedAt`);
    await page.getByRole('heading', { name: 'Parc matériel' }).waitFor();
    await page.getByText('Aucune recherche enregistrée pour l’instant.').waitFor();
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('portable');
    await expect.poll(() => page.url()).toContain('q=portable');

    const save = async (name: string) => {
      await page.getByRole('button', { name: 'Enregistrer cette recherche' }).click();
      const dialog = page.getByRole('dialog', { name: 'Enregistrer la recherche' });
      await dialog.getByLabel(/^Nom de la recherche/).fill(name);
      await dialog.getByRole('button', { name: 'Enregistrer' }).click();
      return dialog;
    };
    const saved = await save('Portables en réparation');
    await saved.waitFor({ state: 'hidden' });
    const picker = page.getByRole('combobox', { name: 'Recherches enregistrées' });
    await expect.poll(() => picker.inputValue()).toBe('Portables en réparation');
    await expect(page.getByText('Aucune recherche enregistrée pour l’instant.').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'saved-searches.png') });

    // The same name again is refused on the name field, with the server's message.
    const again = await save(' portables en RÉPARATION');
    await again.getByText('Déjà utilisé').waitFor();
    await again.getByRole('button', { name: 'Fermer' }).click();
    await again.waitFor({ state: 'hidden' });

    // Picking it on a bare list puts every filter back, the text box included.
    await page.goto(`${j.url()}/assets`);
    await expect.poll(() => picker.inputValue()).toBe('');
    await picker.click();
    await page.getByRole('option', { name: 'Portables en réparation' }).click();
    await expect.poll(() => page.url()).toContain('status=in_repair');
    expect(page.url()).toContain('sort=updatedAt');
    await expect(page.getByRole('searchbox', { name: 'Rechercher' }).inputValue()).resolves.toBe('portable');
    await page.waitForTimeout(500); // past the search box's debounce: the address keeps the text
    expect(page.url()).toContain('q=portable');
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Statut' }).inputValue())
      .toBe('En réparation');

    await page.getByRole('button', { name: 'Supprimer la recherche' }).click();
    const confirm = page.getByRole('dialog', { name: 'Supprimer la recherche' });
    await confirm.getByRole('button', { name: 'Supprimer' }).click();
    await page.getByText('Aucune recherche enregistrée pour l’instant.').waitFor();
  });

  it('tells each side of a relation in its own words, and names the author', async () => {
    const page = await j.open();
    await j.logIn(page);
    const me = await api<{ displayName: string; memberships: Array<{ orgId: string }> }>(page, 'GET', '/me');
    const orgId = me.memberships[0]!.orgId;
    const pc = await api<{ id: string }>(page, 'POST', '/assets', {
      orgId,
      name: 'PC compta',
      typeId: '00000000-0000-7000-8000-000000000001',
    });
    const ram = await api<{ id: string }>(page, 'POST', '/assets', {
      orgId,
      name: 'Barrette 16 Go',
      typeId: '00000000-0000-7000-8000-000000000016',
    });
    await api(page, 'POST', `/assets/${ram.id}/relations`, { kind: 'installed_in', toAssetId: pc.id });

    await page.goto(`${j.url()}/assets/${pc.id}`);
    const history = page.getByRole('region', { name: 'Historique' });
    await history.getByText('Composant installé : Barrette 16 Go').waitFor();
    await history.getByText(`${me.displayName} a modifié les liaisons`).waitFor();
    await expect(history.getByText(ADMIN_EMAIL).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'asset-relation-history.png'), fullPage: true });

    await page.goto(`${j.url()}/assets/${ram.id}`);
    await page.getByRole('region', { name: 'Historique' }).getByText('Installé dans : PC compta').waitFor();
  });
});
