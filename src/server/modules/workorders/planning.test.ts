import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlanning, TPlanningConflict, TUnavailability } from '../../../shared/schemas/planning.js';
import type { TWorkOrderDetail } from '../../../shared/schemas/workorders.js';
import { systemPrincipal } from '../../context.js';
import { buildJobRegistry } from '../../jobs/registry.js';
import {
  json,
  login,
  makeUser,
  type Session,
  type TestApp,
  testApp,
  testConfig,
  world,
} from '../../test/harness.js';
import { createMailService } from '../mail/index.js';
import { icalendar, icalFold } from './planning.service.js';
import { REMINDERS_JOB, sendDueReminders } from './reminders.service.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let tech2: Session;
let requester: Session;
let adminB: Session;
let tech2Id: string;
let site: { id: string };

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const req = (
  s: Session | null,
  method: Method,
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...(s?.headers ?? {}), ...headers },
    ...(payload && { payload }),
  });
async function ok<T>(
  s: Session,
  method: Method,
  url: string,
  payload?: object,
  headers?: Record<string, string>,
) {
  const res = await req(s, method, url, payload, headers);
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return json<T>(res);
}
const ifMatch = (v: number) => ({ 'if-match': `"v${v}"` });
const newWorkOrder = (title: string, extra: Record<string, unknown> = {}) =>
  ok<TWorkOrderDetail>(tech, 'POST', '/work-orders', {
    orgId: w.orgA.id,
    kind: 'peripheral',
    title,
    locationId: site.id,
    ...extra,
  });
const schedule = (wo: { id: string; version: number }, body: Record<string, unknown>) =>
  req(tech, 'POST', `/work-orders/${wo.id}/schedule`, body, ifMatch(wo.version));

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  const t2 = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['technician'] });
  tech2Id = t2.id;
  tech = await login(t.app, w.techA.email);
  tech2 = await login(t.app, t2.email);
  requester = await login(t.app, w.requesterA.email);
  adminB = await login(t.app, w.adminB.email);
  site = await ok(tech, 'POST', '/locations', {
    orgId: w.orgA.id,
    kind: 'site',
    name: 'Lyon, bât. A; étage 2',
  });
});
afterAll(async () => {
  await t?.close();
});

describe('scheduling', () => {
  it('refuses a double booking with 409 listing it, records an override in the audit, and plans a draft', async () => {
    const a = await newWorkOrder('Imprimante compta');
    const first = await schedule(a, {
      technicianId: w.techA.id,
      start: '2030-03-04T08:00:00Z',
      end: '2030-03-04T10:00:00Z',
    });
    expect(first.statusCode, first.body).toBe(200);
    const planned = json<TWorkOrderDetail & { conflicts: unknown[] }>(first);
    expect(planned.status).toBe('planned');
    expect(planned.scheduledStart).toBe('2030-03-04T08:00:00.000Z');
    expect(planned.conflicts).toEqual([]);

    const b = await newWorkOrder('Écran RH');
    const body = {
      technicianId: w.techA.id,
      start: '2030-03-04T09:30:00.000Z',
      end: '2030-03-04T11:00:00.000Z',
    };
    const refused = await schedule(b, body);
    expect(refused.statusCode).toBe(409);
    const problem = json<{ code: string; conflicts: TPlanningConflict[] }>(refused);
    expect(problem.code).toBe('planning.conflict');
    expect(problem.conflicts).toEqual([
      expect.objectContaining({
        kind: 'double_booking',
        workOrderId: a.id,
        reference: a.reference,
        userId: w.techA.id,
      }),
    ]);
    // Nothing changed.
    const still = await ok<TWorkOrderDetail>(tech, 'GET', `/work-orders/${b.id}`);
    expect([still.status, still.scheduledStart, still.version]).toEqual(['draft', null, b.version]);
    // Adjacent slots do not conflict; another technician is free.
    const adjacent = await schedule(b, { ...body, start: '2030-03-04T10:00:00Z' });
    expect(adjacent.statusCode, adjacent.body).toBe(200);
    const c = await newWorkOrder('Clavier');
    expect((await schedule(c, { ...body, technicianId: tech2Id })).statusCode).toBe(200);
    // Forced: scheduled, and the conflict is in the audit.
    const d = await newWorkOrder('Souris');
    const forced = await schedule(d, { ...body, override: true });
    expect(forced.statusCode, forced.body).toBe(200);
    expect(
      json<{ conflicts: TPlanningConflict[] }>(forced)
        .conflicts.map((x) => x.workOrderId)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    const audit = await t.db.handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', d.id)
      .where('action', '=', 'work_order.scheduled')
      .execute();
    expect(audit).toHaveLength(1);
    const raw = (audit[0] as Record<string, unknown>).after;
    const after = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {
      override: boolean;
      conflicts: unknown[];
    };
    expect(after.override).toBe(true);
    expect(after.conflicts).toHaveLength(2);
    // Stale version: 412; missing If-Match: 428.
    expect((await schedule(d, body)).statusCode).toBe(412);
    expect(
      (await req(tech, 'POST', `/work-orders/${d.id}/schedule`, { ...body, override: true })).statusCode,
    ).toBe(428);
    // A requester is not a technician: 422 on technicianId.
    const e = await newWorkOrder('Webcam');
    const bad = await schedule(e, { ...body, technicianId: w.requesterA.id });
    expect(bad.statusCode).toBe(422);
  });

  it('refuses an edit that moves a booked work order onto another booking', async () => {
    const x = await newWorkOrder('Switch étage 3');
    const booked = { technicianId: w.techA.id, start: '2030-05-06T08:00:00Z', end: '2030-05-06T10:00:00Z' };
    expect((await schedule(x, booked)).statusCode).toBe(200);
    const y = await newWorkOrder('Borne Wi-Fi');
    const planned = json<TWorkOrderDetail>(
      await schedule(y, { ...booked, start: '2030-05-06T10:00:00Z', end: '2030-05-06T11:00:00Z' }),
    );
    // Moved by an edit onto the first booking: the same 409 as scheduling, and nothing changes.
    const moved = await req(
      tech,
      'PATCH',
      `/work-orders/${y.id}`,
      { scheduledStart: '2030-05-06T09:00:00.000Z' },
      ifMatch(planned.version),
    );
    expect(moved.statusCode).toBe(409);
    expect(json<{ code: string; conflicts: TPlanningConflict[] }>(moved).conflicts).toEqual([
      expect.objectContaining({ kind: 'double_booking', workOrderId: x.id }),
    ]);
    // A free slot, or a change of title, goes through.
    const free = await req(
      tech,
      'PATCH',
      `/work-orders/${y.id}`,
      { scheduledStart: '2030-05-06T10:30:00.000Z' },
      ifMatch(planned.version),
    );
    expect(free.statusCode, free.body).toBe(200);
  });

  it('lets one of two concurrent schedules of a technician through, the other is a 409', async () => {
    const a = await newWorkOrder('Concurrent A');
    const b = await newWorkOrder('Concurrent B');
    const body = { technicianId: w.techA.id, start: '2030-09-02T08:00:00Z', end: '2030-09-02T10:00:00Z' };
    const answers = await Promise.all([schedule(a, body), schedule(b, body)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it("refuses an overlap with an affected user's unavailable slot", async () => {
    const slot = await ok<TUnavailability>(requester, 'POST', '/planning/unavailability', {
      orgId: w.orgA.id,
      userId: w.requesterA.id,
      start: '2030-05-10T00:00:00Z',
      end: '2030-05-11T00:00:00Z',
      reason: 'Congés',
    });
    const wo = await newWorkOrder('Poste de Léa', { affectedUserIds: [w.requesterA.id] });
    const res = await schedule(wo, {
      technicianId: tech2Id,
      start: '2030-05-10T14:00:00Z',
      end: '2030-05-10T15:00:00Z',
    });
    expect(res.statusCode).toBe(409);
    expect(json<{ conflicts: TPlanningConflict[] }>(res).conflicts).toEqual([
      expect.objectContaining({
        kind: 'unavailable',
        unavailabilityId: slot.id,
        userId: w.requesterA.id,
        reason: 'Congés',
      }),
    ]);
    // The technician's own slot counts too.
    await ok(tech2, 'POST', '/planning/unavailability', {
      orgId: w.orgA.id,
      userId: tech2Id,
      start: '2030-05-12T08:00:00Z',
      end: '2030-05-12T12:00:00Z',
    });
    const res2 = await schedule(wo, {
      technicianId: tech2Id,
      start: '2030-05-12T11:00:00Z',
      end: '2030-05-12T13:00:00Z',
    });
    expect(res2.statusCode).toBe(409);
    expect(
      (
        await schedule(wo, {
          technicianId: tech2Id,
          start: '2030-05-12T12:00:00Z',
          end: '2030-05-12T13:00:00Z',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('answers another organisation 404 and a requester 403', async () => {
    const wo = await newWorkOrder('Switch');
    const body = { technicianId: w.techA.id, start: '2030-06-01T08:00:00Z', end: '2030-06-01T09:00:00Z' };
    expect(
      (await req(adminB, 'POST', `/work-orders/${wo.id}/schedule`, body, ifMatch(wo.version))).statusCode,
    ).toBe(404);
    const q = `/planning?orgId=${w.orgA.id}&from=2030-06-01T00:00:00Z&to=2030-06-08T00:00:00Z`;
    expect((await req(adminB, 'GET', q)).statusCode).toBe(404);
    expect((await req(requester, 'GET', q)).statusCode).toBe(403);
    // A requester declares only their own slots.
    const other = await req(requester, 'POST', '/planning/unavailability', {
      orgId: w.orgA.id,
      userId: w.techA.id,
      start: '2030-06-01T08:00:00Z',
      end: '2030-06-01T09:00:00Z',
    });
    expect(other.statusCode).toBe(403);
    expect(
      (
        await req(adminB, 'POST', '/planning/unavailability', {
          orgId: w.orgA.id,
          userId: w.adminB.id,
          start: '2030-06-01T08:00:00Z',
          end: '2030-06-01T09:00:00Z',
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('planning view and unavailability', () => {
  it("groups a week's work orders per technician with the slots and conflicts", async () => {
    const a = await newWorkOrder('A');
    const b = await newWorkOrder('B');
    const c = await newWorkOrder('Hors période');
    const s = (wo: TWorkOrderDetail, start: string, end: string, override = false) =>
      ok<TWorkOrderDetail>(
        tech,
        'POST',
        `/work-orders/${wo.id}/schedule`,
        { technicianId: tech2Id, start, end, override },
        ifMatch(wo.version),
      );
    await s(a, '2031-01-06T08:00:00Z', '2031-01-06T12:00:00Z');
    await s(b, '2031-01-06T11:00:00Z', '2031-01-06T13:00:00Z', true);
    await s(c, '2031-01-14T08:00:00Z', '2031-01-14T09:00:00Z');
    const slot = await ok<TUnavailability>(tech, 'POST', '/planning/unavailability', {
      orgId: w.orgA.id,
      userId: w.techA.id,
      start: '2031-01-07T00:00:00Z',
      end: '2031-01-08T00:00:00Z',
      reason: 'Formation',
    });
    const unscheduled = await newWorkOrder('À planifier');
    const p = await ok<TPlanning>(
      tech,
      'GET',
      `/planning?orgId=${w.orgA.id}&from=2031-01-05T00:00:00Z&to=2031-01-12T00:00:00Z`,
    );
    const ids = p.technicians.map((x) => x.id).sort();
    expect(ids).toEqual([w.techA.id, tech2Id].sort());
    const t2 = p.technicians.find((x) => x.id === tech2Id)!;
    expect(t2.workOrders.map((x) => x.title)).toEqual(['A', 'B']);
    expect(p.technicians.find((x) => x.id === w.techA.id)!.workOrders).toEqual([]);
    expect(p.unavailability.map((u) => u.id)).toEqual([slot.id]);
    expect(p.conflicts.map((x) => [x.concerns, x.workOrderId]).sort()).toEqual(
      [
        [a.id, b.id],
        [b.id, a.id],
      ].sort(),
    );
    expect(p.unscheduled.map((x) => x.id)).toContain(unscheduled.id);
    // One technician asked for.
    const only = await ok<TPlanning>(
      tech,
      'GET',
      `/planning?orgId=${w.orgA.id}&from=2031-01-05T00:00:00Z&to=2031-01-12T00:00:00Z&technicianIds=${w.techA.id}`,
    );
    expect(only.technicians.map((x) => x.id)).toEqual([w.techA.id]);
    // Too long a period, and an upside-down one.
    expect(
      (
        await req(
          tech,
          'GET',
          `/planning?orgId=${w.orgA.id}&from=2031-01-01T00:00:00Z&to=2031-06-01T00:00:00Z`,
        )
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await req(
          tech,
          'GET',
          `/planning?orgId=${w.orgA.id}&from=2031-01-02T00:00:00Z&to=2031-01-01T00:00:00Z`,
        )
      ).statusCode,
    ).toBe(400);

    // Listing: staff see all, a requester their own; deleting: own or staff.
    const mine = await ok<TUnavailability>(requester, 'POST', '/planning/unavailability', {
      orgId: w.orgA.id,
      userId: w.requesterA.id,
      start: '2031-01-09T00:00:00Z',
      end: '2031-01-10T00:00:00Z',
    });
    const range = `orgId=${w.orgA.id}&from=2031-01-01T00:00:00Z&to=2031-02-01T00:00:00Z`;
    const all = await ok<{ items: TUnavailability[] }>(tech, 'GET', `/planning/unavailability?${range}`);
    expect(all.items.map((x) => x.id)).toEqual([slot.id, mine.id]);
    const own = await ok<{ items: TUnavailability[] }>(requester, 'GET', `/planning/unavailability?${range}`);
    expect(own.items.map((x) => x.id)).toEqual([mine.id]);
    expect((await req(requester, 'DELETE', `/planning/unavailability/${slot.id}`)).statusCode).toBe(403);
    expect((await req(adminB, 'DELETE', `/planning/unavailability/${slot.id}`)).statusCode).toBe(404);
    expect((await req(requester, 'DELETE', `/planning/unavailability/${mine.id}`)).statusCode).toBe(204);
    const left = await ok<{ items: TUnavailability[] }>(tech, 'GET', `/planning/unavailability?${range}`);
    expect(left.items.map((x) => x.id)).toEqual([slot.id]);
  });
});

/** RFC 5545 unfolding: a CRLF followed by a space or tab continues the previous line. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '').split('\r\n');

describe('iCalendar feed', () => {
  it('folds at 75 octets without cutting a character, and escapes text', () => {
    const long = `SUMMARY:${'é'.repeat(60)}`;
    const folded = icalFold(long);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .slice(1)
        .every((l) => l.startsWith(' ')),
    ).toBe(true);
    expect(unfold(folded)).toEqual([long]);
    const text = icalendar([
      {
        uid: 'x@parc',
        stamp: '2030-01-01T00:00:00.000Z',
        start: '2030-01-02T08:00:00.000Z',
        end: '2030-01-02T09:30:00.000Z',
        summary: 'WO-1 — a, b; c\\d',
        location: 'Lyon',
        description: 'ligne 1\nligne 2',
        status: 'planned',
      },
    ]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const lines = unfold(text);
    expect(lines).toContain('SUMMARY:WO-1 — a\\, b\\; c\\\\d');
    expect(lines).toContain('DESCRIPTION:ligne 1\\nligne 2');
    expect(lines).toContain('DTSTART:20300102T080000Z');
    expect(lines).toContain('DTEND:20300102T093000Z');
  });

  it("serves a technician's work orders by a revocable personal token", async () => {
    const wo = await newWorkOrder('Borne Wi-Fi, salle 3; accueil', {
      description:
        'Remplacer la borne.\nPrévoir une échelle de 2 m, et un câble de 10 m pour la baie du 2e étage.',
    });
    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCHours(8, 0, 0, 0);
    const end = new Date(start.getTime() + 90 * 60_000);
    await ok(
      tech,
      'POST',
      `/work-orders/${wo.id}/schedule`,
      { technicianId: tech2Id, start: start.toISOString(), end: end.toISOString() },
      ifMatch(wo.version),
    );
    const created = await req(tech2, 'POST', '/me/calendar-token');
    expect(created.statusCode, created.body).toBe(201);
    const { url } = json<{ url: string }>(created);
    const path = new URL(url).pathname;
    expect(path).toMatch(/^\/api\/v1\/planning\/ical\/[\w-]{20,}\.ics$/);
    // The token is stored hashed only.
    const stored = await t.db.handle.db
      .selectFrom('calendar_token')
      .selectAll()
      .where('user_id', '=', tech2Id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(url).not.toContain(stored[0]!.token_hash);
    const feed = await t.app.inject({ method: 'GET', url: path });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    for (const raw of feed.body.split('\r\n')) expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(75);
    const lines = unfold(feed.body);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-2)).toBe('END:VCALENDAR');
    const at = lines.indexOf(`UID:${wo.id}@parc`);
    expect(at).toBeGreaterThan(0);
    const ev = lines.slice(at - 1, lines.indexOf('END:VEVENT', at) + 1);
    const stamp = (d: Date) => `${d.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
    expect(ev).toContain(`DTSTART:${stamp(start)}`);
    expect(ev).toContain(`DTEND:${stamp(end)}`);
    expect(ev).toContain(`SUMMARY:${wo.reference} — Borne Wi-Fi\\, salle 3\\; accueil`);
    expect(ev).toContain('LOCATION:Lyon\\, bât. A\\; étage 2');
    expect(ev).toContain(
      'DESCRIPTION:Remplacer la borne.\\nPrévoir une échelle de 2 m\\, et un câble de 10 m pour la baie du 2e étage.',
    );
    expect(ev.some((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l))).toBe(true);
    // Someone else's work orders are not in it.
    expect(feed.body).not.toContain('Imprimante compta');
    // A new token revokes the old; revoking leaves none.
    const again = json<{ url: string }>(await req(tech2, 'POST', '/me/calendar-token'));
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    const path2 = new URL(again.url).pathname;
    expect((await t.app.inject({ method: 'GET', url: path2 })).statusCode).toBe(200);
    expect((await req(tech2, 'DELETE', '/me/calendar-token')).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: path2 })).statusCode).toBe(404);
  });
});

describe('users told ahead', () => {
  it('queues the reminder once, N hours before the start, and again after a reschedule', async () => {
    expect(buildJobRegistry(testConfig()).jobs[REMINDERS_JOB]).toBeDefined();
    // Technicians may not change the setting (supervisors and administrators do); the default stays.
    expect(
      (await req(tech, 'PUT', `/planning/settings/${w.orgA.id}`, { reminderHours: 24 })).statusCode,
    ).toBe(403);
    expect(
      (await ok<{ reminderHours: number }>(tech, 'GET', `/planning/settings/${w.orgA.id}`)).reminderHours,
    ).toBe(48);
    const affected = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['requester'] });
    await t.db.handle.db
      .updateTable('app_user')
      .set({ locale: 'en' })
      .where('id', '=', affected.id)
      .execute();
    const wo = await newWorkOrder('New laptop', {
      description: 'Your old PC is taken away.',
      kind: 'replacement',
      affectedUserIds: [affected.id, w.requesterA.id],
    });
    const start = new Date(Date.now() + 10 * 86_400_000);
    start.setUTCHours(9, 0, 0, 0);
    const end = new Date(start.getTime() + 3600_000);
    const planned = await ok<TWorkOrderDetail>(
      tech,
      'POST',
      `/work-orders/${wo.id}/schedule`,
      { technicianId: w.techA.id, start: start.toISOString(), end: end.toISOString() },
      ifMatch(wo.version),
    );
    const mail = createMailService(testConfig({ PARC_SMTP_HOST: '127.0.0.1', PARC_SMTP_PORT: '1' }).smtp);
    const at = (ms: number) => ({ ...t.ctx, actor: systemPrincipal('test'), now: new Date(ms) });
    const sent = () =>
      t.db.handle.db
        .selectFrom('mail_outgoing')
        .select(['to_address', 'subject', 'text_body', 'dedupe_key'])
        .where('dedupe_key', 'like', `workorder.reminder:${wo.id}:%`)
        .orderBy('to_address')
        .execute();
    try {
      // 48 h + 1 min before: not yet.
      expect(await sendDueReminders(at(start.getTime() - 48 * 3600_000 - 60_000), mail)).toBe(0);
      expect(await sent()).toHaveLength(0);
      // 48 h before: both users, each in their language.
      expect(await sendDueReminders(at(start.getTime() - 48 * 3600_000), mail)).toBe(2);
      const mails = await sent();
      expect(mails.map((m) => m.to_address).sort()).toEqual([affected.email, w.requesterA.email].sort());
      const en = mails.find((m) => m.to_address === affected.email)!;
      expect(en.subject).toContain('Work planned on');
      expect(en.text_body).toContain('Replacement — New laptop');
      expect(en.text_body).toContain('Your old PC is taken away.');
      const fr = mails.find((m) => m.to_address === w.requesterA.email)!;
      expect(fr.subject).toContain('Intervention prévue le');
      expect(fr.text_body).toContain('Remplacement — New laptop');
      // Once.
      expect(await sendDueReminders(at(start.getTime() - 3600_000), mail)).toBe(0);
      expect(await sent()).toHaveLength(2);
      // Rescheduled to a start closer than 48 h from now: told at once, again.
      const soon = new Date(Date.now() + 5 * 3600_000);
      soon.setUTCMinutes(0, 0, 0);
      await ok(
        tech,
        'POST',
        `/work-orders/${wo.id}/schedule`,
        {
          technicianId: w.techA.id,
          start: soon.toISOString(),
          end: new Date(soon.getTime() + 3600_000).toISOString(),
        },
        ifMatch(planned.version),
      );
      expect(await sendDueReminders(at(Date.now()), mail)).toBe(2);
      expect(await sent()).toHaveLength(4);
      expect(await sendDueReminders(at(Date.now() + 60_000), mail)).toBe(0);
    } finally {
      mail.close();
    }
  });

  it('sets the reminder when planned through a transition or moved by an edit, and drops it back in draft', async () => {
    const start = new Date(Date.now() + 20 * 86_400_000);
    start.setUTCHours(8, 0, 0, 0);
    const hour = 3600_000;
    const wo = await newWorkOrder('Borne', {
      technicianId: w.techA.id,
      scheduledStart: start.toISOString().replace('.000Z', 'Z'),
      scheduledEnd: new Date(start.getTime() + hour).toISOString(),
      affectedUserIds: [w.requesterA.id],
    });
    expect(wo.scheduledStart).toBe(start.toISOString());
    const reminder = () =>
      t.db.handle.db
        .selectFrom('work_order_reminder')
        .selectAll()
        .where('work_order_id', '=', wo.id)
        .executeTakeFirst();
    expect(await reminder()).toBeUndefined();
    const planned = await ok<TWorkOrderDetail>(
      tech,
      'POST',
      `/work-orders/${wo.id}/transition`,
      { to: 'planned' },
      ifMatch(wo.version),
    );
    expect((await reminder())?.due_at).toBe(new Date(start.getTime() - 48 * hour).toISOString());
    const later = new Date(start.getTime() + 24 * hour);
    const moved = await ok<TWorkOrderDetail>(
      tech,
      'PATCH',
      `/work-orders/${wo.id}`,
      { scheduledStart: later.toISOString(), scheduledEnd: new Date(later.getTime() + hour).toISOString() },
      ifMatch(planned.version),
    );
    expect(await reminder()).toMatchObject({
      scheduled_start: later.toISOString(),
      due_at: new Date(later.getTime() - 48 * hour).toISOString(),
      sent_at: null,
    });
    await ok(tech, 'POST', `/work-orders/${wo.id}/transition`, { to: 'draft' }, ifMatch(moved.version));
    const mail = createMailService(testConfig({ PARC_SMTP_HOST: '127.0.0.1', PARC_SMTP_PORT: '1' }).smtp);
    try {
      const ctx = { ...t.ctx, actor: systemPrincipal('test'), now: new Date(later.getTime() - hour) };
      expect(await sendDueReminders(ctx, mail)).toBe(0);
    } finally {
      mail.close();
    }
    expect(await reminder()).toBeUndefined();
  });

  it("follows the organisation's setting: told 24 hours ahead once an administrator sets it", async () => {
    const admin = await login(t.app, w.adminA.email);
    expect(
      (
        await ok<{ reminderHours: number }>(admin, 'PUT', `/planning/settings/${w.orgA.id}`, {
          reminderHours: 24,
        })
      ).reminderHours,
    ).toBe(24);
    expect(
      (await req(adminB, 'PUT', `/planning/settings/${w.orgA.id}`, { reminderHours: 1 })).statusCode,
    ).toBe(404);
    try {
      const wo = await newWorkOrder('Onduleur', { affectedUserIds: [w.requesterA.id] });
      const start = new Date(Date.now() + 30 * 86_400_000);
      start.setUTCHours(8, 0, 0, 0);
      await ok(
        tech,
        'POST',
        `/work-orders/${wo.id}/schedule`,
        {
          technicianId: w.techA.id,
          start: start.toISOString(),
          end: new Date(start.getTime() + 3600_000).toISOString(),
        },
        ifMatch(wo.version),
      );
      const row = await t.db.handle.db
        .selectFrom('work_order_reminder')
        .select('due_at')
        .where('work_order_id', '=', wo.id)
        .executeTakeFirstOrThrow();
      expect(row.due_at).toBe(new Date(start.getTime() - 24 * 3600_000).toISOString());
    } finally {
      await ok(admin, 'PUT', `/planning/settings/${w.orgA.id}`, { reminderHours: 48 });
    }
  });
});
