import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS_DIR } from './browser.js';
import { journey, nav, type Person } from './journey.js';
import { apiSession as openSession } from './people.js';

/**
 * The planning in French: a technician's week shows the work order booked today; dragging the
 * unscheduled one onto the same day shows the double booking in the confirmation, and "schedule
 * anyway" plans it; their calendar address then serves it as iCalendar.
 */

let technicianId = '';
const TECHNICIAN: Person = {
  email: 'hugo.petit@example.test',
  name: 'Hugo Petit',
  password: 'Hugo-Password-2024!',
};

const j = journey(async (admin, orgId) => {
  await j.addPerson(admin, orgId, TECHNICIAN, 'technician');
  const tech = await openSession(j.url(), TECHNICIAN.email, TECHNICIAN.password);
  technicianId = tech.me.id;
  const site = await admin.call<{ id: string }>('POST', '/locations', { orgId, kind: 'site', name: 'Siège' });
  const booked = await admin.call<{ id: string; version: number }>('POST', '/work-orders', {
    orgId,
    kind: 'peripheral',
    title: 'Imprimante accueil',
    locationId: site.id,
  });
  // Booked all day today (the browser runs in this process's time zone), so 09:00 overlaps it.
  const now = new Date();
  const dayStart = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 0, 0);
  const dayEnd = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 23, 59);
  await admin.call(
    'POST',
    `/work-orders/${booked.id}/schedule`,
    { technicianId, start: dayStart.toISOString(), end: dayEnd.toISOString() },
    { 'If-Match': `"v${booked.version}"` },
  );
  await admin.call('POST', '/work-orders', {
    orgId,
    kind: 'new_workstation',
    title: 'Poste de Chloé',
    locationId: site.id,
  });
  await tech.ctx.dispose();
});

describe('planning', () => {
  it('a technician drags a work order onto a booked day, sees the conflict and schedules anyway', async () => {
    const page = await j.open();
    await j.logIn(page, TECHNICIAN);
    await nav(page).getByRole('link', { name: 'Planning' }).click();
    await page.getByRole('heading', { name: 'Planning' }).waitFor();
    const today = new Date();
    const cell = page.getByTestId(`cell-${technicianId}-${today.getDate()}`);
    await cell.getByText('Imprimante accueil').waitFor();
    await page.getByTestId('wo-WO-000002').dragTo(cell);
    const dialog = page.getByRole('dialog', { name: 'Planifier l’intervention' });
    await dialog.getByText('1 conflit').waitFor();
    await expect.poll(() => dialog.textContent()).toMatch(/Déjà pris par WO-000001/);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'planning-conflict-fr.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Planifier quand même' }).click();
    await cell.getByText('Poste de Chloé').waitFor();
    await expect.poll(() => page.getByText('Aucune intervention à planifier.').count()).toBe(1);

    // The personal calendar address, shown once, serves both work orders as iCalendar.
    await page.getByRole('button', { name: 'Mon calendrier (iCal)' }).click();
    const feed = page.getByRole('dialog', { name: 'Mon calendrier (iCal)' });
    const url = (await feed.locator('pre').textContent()) ?? '';
    expect(url).toMatch(/\/api\/v1\/planning\/ical\/[\w-]+\.ics$/);
    const ics = await (await page.request.get(url)).text();
    const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(lines).toEqual(expect.arrayContaining(['BEGIN:VCALENDAR', 'SUMMARY:WO-000002 — Poste de Chloé']));
  });
});
