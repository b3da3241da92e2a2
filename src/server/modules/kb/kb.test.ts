import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldText } from '../../../shared/text.js';
import {
  json,
  login,
  makeOrg,
  makeUser,
  type Session,
  type TestApp,
  testApp,
  world,
} from '../../test/harness.js';
import { draftFromTicket } from './index.js';
import type { KbArticleTable } from './kb.tables.js';
import { articleSearchText, searchWords, significantWords, tagsText } from './kb.text.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let techA: Session;
let adminA: Session;
let adminB: Session;
let requesterA: Session;
let securityA: Session;

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  techA = await login(t.app, w.techA.email);
  adminA = await login(t.app, w.adminA.email);
  adminB = await login(t.app, w.adminB.email);
  requesterA = await login(t.app, w.requesterA.email);
  securityA = await login(t.app, w.securityA.email);
});
afterAll(() => t.close());

const req = (
  s: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...s.headers, ...headers },
    ...(payload && { payload }),
  });

type Article = { id: string; version: number; title: string; status: string; visibility: string };
type Summary = { id: string; title: string; excerpt: string; status: string };
type Page<T> = { items: T[]; nextCursor: string | null };
type FieldErrors = { errors: Array<{ path: string; code: string; message: string }> };

async function create(s: Session, body: Record<string, unknown>): Promise<Article> {
  const res = await req(s, 'POST', '/kb/articles', { orgId: w.orgA.id, ...body });
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  return json<Article>(res);
}

const titles = async (s: Session, query: string) =>
  json<Page<Summary>>(await req(s, 'GET', `/kb/articles?${query}`)).items.map((a) => a.title);

describe('knowledge base', () => {
  it('creates, updates, keeps every version with its author and restores an old one', async () => {
    const created = await req(techA, 'POST', '/kb/articles', {
      orgId: w.orgA.id,
      title: 'VPN qui se déconnecte',
      symptoms: 'La connexion VPN tombe toutes les 10 minutes.',
      cause: 'Mise en veille de la carte Wi-Fi.',
      resolution: '1. Ouvrir le gestionnaire de périphériques\n2. Désactiver l’économie d’énergie',
      tags: ['VPN', 'wifi', 'vpn'],
      appliesToSoftware: ['FortiClient'],
      sourceTicketId: 'T-2024-0042',
      changeNote: 'Première rédaction',
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"v1"');
    const a = json<Article & { tags: string[]; sourceTicketId: string; createdBy: string }>(created);
    expect(a).toMatchObject({
      status: 'draft',
      visibility: 'internal',
      language: 'fr',
      tags: ['VPN', 'wifi'],
      sourceTicketId: 'T-2024-0042',
      createdBy: w.techA.id,
    });

    const patch = (body: object, etag: string | undefined, s = techA) =>
      req(s, 'PATCH', `/kb/articles/${a.id}`, body, etag ? { 'if-match': etag } : {});
    const v2 = await patch({ status: 'published', visibility: 'public', changeNote: 'Publication' }, '"v1"');
    expect(v2.statusCode).toBe(200);
    expect(v2.headers.etag).toBe('"v2"');
    // Stale and missing If-Match.
    const stale = await patch({ title: 'Autre titre' }, '"v1"');
    expect(stale.statusCode).toBe(412);
    expect(json(stale)).toMatchObject({ code: 'precondition.failed', currentVersion: 2 });
    expect((await patch({ title: 'Autre titre' }, undefined)).statusCode).toBe(428);
    // The same content again writes nothing.
    const same = await patch({ visibility: 'public' }, '"v2"');
    expect(json<Article>(same).version).toBe(2);
    const v3 = await patch(
      { title: 'VPN : déconnexions répétées', changeNote: 'Titre plus clair' },
      '"v2"',
      adminA,
    );
    expect(json<Article>(v3)).toMatchObject({ version: 3, title: 'VPN : déconnexions répétées' });

    const versions = json<
      Page<{ version: number; authorName: string; authorLabel: string; changeNote: string; title: string }>
    >(await req(techA, 'GET', `/kb/articles/${a.id}/versions`));
    expect(versions.items.map((v) => [v.version, v.title, v.changeNote, v.authorLabel])).toEqual([
      [3, 'VPN : déconnexions répétées', 'Titre plus clair', w.adminA.email],
      [2, 'VPN qui se déconnecte', 'Publication', w.techA.email],
      [1, 'VPN qui se déconnecte', 'Première rédaction', w.techA.email],
    ]);
    expect(versions.items[0]!.authorName).toBe(w.adminA.displayName);
    const paged = json<Page<{ version: number }>>(
      await req(techA, 'GET', `/kb/articles/${a.id}/versions?limit=2`),
    );
    expect(paged.items.map((v) => v.version)).toEqual([3, 2]);
    const rest = json<Page<{ version: number }>>(
      await req(techA, 'GET', `/kb/articles/${a.id}/versions?limit=2&cursor=${paged.nextCursor}`),
    );
    expect(rest).toEqual({ items: [expect.objectContaining({ version: 1 })], nextCursor: null });

    const one = json<{ version: number; content: { status: string; resolution: string } }>(
      await req(techA, 'GET', `/kb/articles/${a.id}/versions/1`),
    );
    expect(one.content).toMatchObject({
      status: 'draft',
      resolution: expect.stringContaining('gestionnaire'),
    });
    expect((await req(techA, 'GET', `/kb/articles/${a.id}/versions/9`)).statusCode).toBe(404);

    // Restoring version 1 brings its title back as version 4, and keeps the article published.
    expect(
      (await req(techA, 'POST', `/kb/articles/${a.id}/restore/1`, {}, { 'if-match': '"v2"' })).statusCode,
    ).toBe(412);
    const restored = await req(
      techA,
      'POST',
      `/kb/articles/${a.id}/restore/1`,
      { changeNote: 'Retour au titre initial' },
      { 'if-match': '"v3"' },
    );
    expect(restored.statusCode).toBe(200);
    expect(json<Article>(restored)).toMatchObject({
      version: 4,
      title: 'VPN qui se déconnecte',
      status: 'published',
    });
    const latest = json<Page<{ version: number; changeNote: string }>>(
      await req(techA, 'GET', `/kb/articles/${a.id}/versions?limit=1`),
    ).items[0];
    expect(latest).toMatchObject({ version: 4, changeNote: 'Retour au titre initial' });

    // Archiving is DELETE with If-Match; the archived procedure leaves the default list.
    expect((await req(techA, 'DELETE', `/kb/articles/${a.id}`)).statusCode).toBe(428);
    expect(
      (await req(techA, 'DELETE', `/kb/articles/${a.id}`, undefined, { 'if-match': '"v4"' })).statusCode,
    ).toBe(204);
    expect(json<Article>(await req(techA, 'GET', `/kb/articles/${a.id}`))).toMatchObject({
      status: 'archived',
      version: 5,
    });
    expect(await titles(techA, 'q=vpn')).toEqual([]);
    expect(await titles(techA, 'q=vpn&status=archived')).toEqual(['VPN qui se déconnecte']);

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', a.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((r) => r.action)).toEqual([
      'kb.article_created',
      'kb.article_updated',
      'kb.article_updated',
      'kb.article_restored',
      'kb.article_archived',
    ]);
  });

  it('finds French procedures without accents or case, title matches first', async () => {
    const bourrage = await create(techA, {
      title: 'Bourrage papier sur l’imprimante',
      symptoms: 'Voyant orange, feuille coincée.',
      resolution: 'Ouvrir le capot arrière et retirer la feuille.',
      tags: ['Impression'],
      status: 'published',
    });
    await create(techA, {
      title: 'Écran noir au démarrage',
      symptoms: 'L’écran reste noir, le voyant clignote.',
      resolution: 'Vérifier le câble DisplayPort.',
      status: 'published',
    });
    // "imprimante" and "bourrage" appear in the text only, and this one is more recent.
    await create(techA, {
      title: 'Tiroir 2 non détecté',
      symptoms: 'Après un bourrage, l’imprimante ignore le tiroir 2.',
      resolution: 'Réinstaller le pilote.',
      status: 'published',
    });

    expect(await titles(techA, `q=${encodeURIComponent('imprimante bourrage')}`)).toEqual([
      'Bourrage papier sur l’imprimante',
      'Tiroir 2 non détecté',
    ]);
    expect(await titles(techA, 'q=ecran')).toEqual(['Écran noir au démarrage']);
    expect(await titles(techA, `q=${encodeURIComponent('ÉCRAN Démarrage')}`)).toEqual([
      'Écran noir au démarrage',
    ]);
    // Tags are searched, and filtered on exactly (without case or accents).
    expect(await titles(techA, 'q=impression')).toEqual(['Bourrage papier sur l’imprimante']);
    expect(await titles(techA, 'tag=IMPRESSION')).toEqual(['Bourrage papier sur l’imprimante']);
    expect(await titles(techA, 'tag=impress')).toEqual([]);
    // Stop-words are ignored: "l’imprimante ne marche pas" looks for "imprimante".
    expect(await titles(techA, `q=${encodeURIComponent('l’imprimante ne marche pas')}`)).toEqual([
      'Bourrage papier sur l’imprimante',
      'Tiroir 2 non détecté',
    ]);

    // Pages follow the ranking across the title and text matches.
    const first = json<Page<Summary>>(await req(techA, 'GET', '/kb/articles?q=bourrage&limit=1'));
    expect(first.items.map((a) => a.title)).toEqual(['Bourrage papier sur l’imprimante']);
    const second = json<Page<Summary>>(
      await req(techA, 'GET', `/kb/articles?q=bourrage&limit=1&cursor=${first.nextCursor}`),
    );
    expect(second.items.map((a) => a.title)).toEqual(['Tiroir 2 non détecté']);
    expect(second.nextCursor).toBeNull();
    expect(bourrage.id).toBeTruthy();
  });

  it('finds English procedures', async () => {
    await create(techA, {
      title: 'Outlook keeps asking for the password',
      symptoms: 'A credentials prompt appears every few minutes.',
      cause: 'A stale credential in the Windows vault.',
      resolution: '- Open Credential Manager\n- Remove the Office entries\n- Restart Outlook',
      language: 'en',
      status: 'published',
    });
    expect(await titles(techA, 'q=credential%20manager')).toEqual(['Outlook keeps asking for the password']);
    expect(await titles(techA, 'q=OUTLOOK&language=en')).toEqual(['Outlook keeps asking for the password']);
    expect(await titles(techA, 'q=outlook&language=fr')).toEqual([]);
  });

  it('shows requesters only the published public procedures of their organisations', async () => {
    const pub = await create(techA, {
      title: 'Réinitialiser son mot de passe messagerie',
      resolution: 'Aller sur le portail.',
      visibility: 'public',
      status: 'published',
    });
    const internal = await create(techA, {
      title: 'Réinitialiser un mot de passe dans l’annuaire',
      resolution: 'Console AD.',
      status: 'published',
    });
    const draft = await create(techA, {
      title: 'Réinitialiser un mot de passe (brouillon)',
      visibility: 'public',
    });

    const seen = await titles(requesterA, 'q=reinitialiser');
    expect(seen).toEqual(['Réinitialiser son mot de passe messagerie']);
    expect((await req(requesterA, 'GET', `/kb/articles/${pub.id}`)).statusCode).toBe(200);
    expect((await req(requesterA, 'GET', `/kb/articles/${internal.id}`)).statusCode).toBe(404);
    expect((await req(requesterA, 'GET', `/kb/articles/${draft.id}`)).statusCode).toBe(404);
    // History is for staff; writing is for technicians and above.
    expect((await req(requesterA, 'GET', `/kb/articles/${pub.id}/versions`)).statusCode).toBe(403);
    expect(
      (await req(requesterA, 'POST', '/kb/articles', { orgId: w.orgA.id, title: 'Essai' })).statusCode,
    ).toBe(403);
    expect(
      (await req(requesterA, 'PATCH', `/kb/articles/${pub.id}`, { title: 'x' }, { 'if-match': '"v1"' }))
        .statusCode,
    ).toBe(403);
    // A security officer reads everything but writes nothing.
    expect(await titles(securityA, 'q=reinitialiser')).toHaveLength(3);
    expect(
      (await req(securityA, 'POST', '/kb/articles', { orgId: w.orgA.id, title: 'Essai' })).statusCode,
    ).toBe(403);
    // Staff see drafts and internal ones, and may filter by visibility.
    expect(await titles(techA, 'q=reinitialiser&visibility=internal')).toEqual([
      'Réinitialiser un mot de passe dans l’annuaire',
    ]);
    expect(await titles(techA, 'q=reinitialiser&status=draft')).toEqual([
      'Réinitialiser un mot de passe (brouillon)',
    ]);
    // Without a search, the list is newest first, and requesters still see only public ones.
    const all = json<Page<Summary>>(await req(requesterA, 'GET', '/kb/articles?limit=200')).items;
    expect(all.every((a) => a.status === 'published')).toBe(true);
    expect(all.map((a) => a.id)).not.toContain(internal.id);
  });

  it('answers 404 for another organisation’s procedures, and keeps lists to one’s own', async () => {
    const a = await create(techA, {
      title: 'Procédure interne du client A',
      resolution: 'x',
      status: 'published',
    });
    expect((await req(adminB, 'GET', `/kb/articles/${a.id}`)).statusCode).toBe(404);
    expect(
      (await req(adminB, 'PATCH', `/kb/articles/${a.id}`, { title: 'pris' }, { 'if-match': '"v1"' }))
        .statusCode,
    ).toBe(404);
    expect((await req(adminB, 'GET', `/kb/articles/${a.id}/versions`)).statusCode).toBe(404);
    expect(
      (await req(adminB, 'POST', `/kb/articles/${a.id}/restore/1`, {}, { 'if-match': '"v1"' })).statusCode,
    ).toBe(404);
    expect(
      (await req(adminB, 'DELETE', `/kb/articles/${a.id}`, undefined, { 'if-match': '"v1"' })).statusCode,
    ).toBe(404);
    expect(await titles(adminB, 'q=procedure%20interne')).toEqual([]);
    expect(
      (await req(adminB, 'POST', '/kb/articles', { orgId: w.orgA.id, title: 'Chez A' })).statusCode,
    ).toBe(404);
    expect((await req(adminB, 'GET', `/kb/suggest?orgId=${w.orgA.id}&q=procedure`)).statusCode).toBe(404);
    const admin = await login(t.app, w.admin.email);
    expect(
      (await req(admin, 'POST', '/kb/articles', { orgId: uuidv7(), title: 'Nulle part' })).statusCode,
    ).toBe(404);
    expect((await req(admin, 'GET', `/kb/articles/${a.id}`)).statusCode).toBe(200);
  });

  it('suggests published procedures while a French ticket title is typed', async () => {
    const org = await makeOrg(t.ctx, { name: 'Suggestions' });
    const tech = await makeUser(t.ctx, { orgId: org.id, roles: ['technician'] });
    const requester = await makeUser(t.ctx, { orgId: org.id, roles: ['requester'] });
    const s = await login(t.app, tech.email);
    const make = (body: Record<string, unknown>) =>
      create(s, { orgId: org.id, status: 'published', visibility: 'public', resolution: 'Étapes.', ...body });
    await make({ title: 'Bourrage papier sur l’imprimante' });
    await make({ title: 'Imprimante hors ligne', symptoms: 'Le poste indique « hors ligne ».' });
    await make({ title: 'Changer le toner', symptoms: 'L’imprimante affiche toner vide.' });
    await make({ title: 'Wi-Fi lent en salle de réunion' });
    await make({ title: 'Imprimante : brouillon', status: 'draft' });
    await make({ title: 'Imprimante réseau (interne)', visibility: 'internal' });

    const suggest = async (session: Session, text: string, limit = 5) =>
      json<{ items: Summary[] }>(
        await req(session, 'GET', `/kb/suggest?orgId=${org.id}&q=${encodeURIComponent(text)}&limit=${limit}`),
      ).items.map((a) => a.title);

    // Title matches first, then text matches; never drafts.
    const found = await suggest(s, 'L’imprimante ne marche pas');
    expect(found.slice(0, 3).sort()).toEqual(
      ['Bourrage papier sur l’imprimante', 'Imprimante hors ligne', 'Imprimante réseau (interne)'].sort(),
    );
    expect(found[3]).toBe('Changer le toner');
    expect(found).not.toContain('Imprimante : brouillon');
    // Requesters get the public ones only.
    expect(await suggest(await login(t.app, requester.email), 'L’imprimante ne marche pas')).not.toContain(
      'Imprimante réseau (interne)',
    );
    // Several words: the procedure holding most of them comes first.
    expect((await suggest(s, 'Bourrage de papier dans l’imprimante du 2e étage'))[0]).toBe(
      'Bourrage papier sur l’imprimante',
    );
    expect(await suggest(s, 'imprimante hors ligne depuis ce matin', 1)).toEqual(['Imprimante hors ligne']);
    // Only stop-words or short words: nothing to suggest.
    expect(await suggest(s, 'Ça ne marche pas')).toEqual([]);
    expect(await suggest(s, 'wifi')).toEqual([]);
    expect(await suggest(s, 'wi-fi lent')).toEqual(['Wi-Fi lent en salle de réunion']);
  });

  it('explains invalid input field by field', async () => {
    const bad = await req(
      techA,
      'POST',
      '/kb/articles',
      {
        orgId: w.orgA.id,
        title: '   ',
        language: 'de',
        visibility: 'everyone',
        tags: ['ok', 'a|b'],
        appliesToModels: ['not-an-id'],
        status: 'published',
      },
      { 'accept-language': 'en' },
    );
    expect(bad.statusCode).toBe(400);
    const errors = json<FieldErrors>(bad).errors;
    expect(errors.map((e) => e.path).sort()).toEqual(
      ['appliesToModels.0', 'language', 'resolution', 'tags.1', 'title', 'visibility'].sort(),
    );
    expect(errors.find((e) => e.path === 'tags.1')).toMatchObject({
      code: 'invalid_tag',
      message: 'A tag cannot contain | or ,',
    });
    expect(errors.find((e) => e.path === 'resolution')).toMatchObject({
      code: 'required',
      message: 'Required',
    });

    // Publishing without resolution steps is refused on update too.
    const draft = await create(techA, { title: 'Sans résolution' });
    const publish = await req(
      techA,
      'PATCH',
      `/kb/articles/${draft.id}`,
      { status: 'published' },
      { 'if-match': '"v1"', 'accept-language': 'fr' },
    );
    expect(publish.statusCode).toBe(400);
    expect(json<FieldErrors>(publish).errors).toEqual([
      { path: 'resolution', code: 'required', message: 'Obligatoire' },
    ]);
    const unknown = await req(
      techA,
      'PATCH',
      `/kb/articles/${draft.id}`,
      { orgId: w.orgB.id },
      { 'if-match': '"v1"' },
    );
    expect(json<FieldErrors>(unknown).errors.map((e) => e.path)).toEqual(['orgId']);
    expect((await req(techA, 'GET', '/kb/articles?cursor=nonsense')).statusCode).toBe(400);
    expect((await req(techA, 'GET', '/kb/suggest?limit=50&q=x')).statusCode).toBe(400);
  });

  it('pre-fills a draft from a resolved ticket, which saves as it is', async () => {
    const draft = draftFromTicket({
      orgId: w.orgA.id,
      title: '  Outlook does not start after the update ',
      symptoms: 'Outlook closes when it is opened.',
      cause: 'A broken add-in.',
      resolution: 'Start Outlook in safe mode and disable the add-in.',
      sourceTicketId: 'T-2025-0007',
    });
    expect(draft).toMatchObject({
      title: 'Outlook does not start after the update',
      language: 'en',
      status: 'draft',
      visibility: 'internal',
      sourceTicketId: 'T-2025-0007',
    });
    expect(
      draftFromTicket({
        orgId: w.orgA.id,
        title: 'Le poste ne démarre pas',
        symptoms: 'Écran noir',
        cause: '',
        resolution: '',
        sourceTicketId: 'T-2025-0008',
      }).language,
    ).toBe('fr');
    const saved = await req(techA, 'POST', '/kb/articles', draft);
    expect(saved.statusCode).toBe(201);
    expect(json(saved)).toMatchObject({ sourceTicketId: 'T-2025-0007', language: 'en' });
  });

  it('pages and ranks searches over thousands of procedures (the walk beyond the candidate cap)', async () => {
    const org = await makeOrg(t.ctx, { name: 'Volume' });
    const tech = await makeUser(t.ctx, { orgId: org.id, roles: ['technician'] });
    const s = await login(t.app, tech.email);
    const rows: KbArticleTable[] = [];
    const base = Date.parse('2025-01-01T00:00:00.000Z');
    for (let i = 0; i < 3200; i++) {
      // Every one mentions the printer in its text; one in ten in its title.
      const title = i % 10 === 0 ? `Imprimante étage ${i}` : `Poste ${i}`;
      const c = {
        title,
        // The 2,100 oldest are about an old driver: more than the candidate cap, none recent.
        symptoms: `Le poste ${i} n’imprime plus sur l’imprimante.${i < 2100 ? ' Pilote ancien.' : ''}`,
        cause: '',
        resolution: 'Redémarrer le spouleur.',
        tags: i === 7 ? ['rare'] : [],
      };
      const at = new Date(base + i * 60_000).toISOString();
      rows.push({
        id: uuidv7(),
        org_id: org.id,
        ...c,
        language: 'fr',
        visibility: 'internal',
        status: 'published',
        tags: JSON.stringify(c.tags),
        tags_text: tagsText(c.tags),
        applies_to_models: '[]',
        applies_to_software: '[]',
        title_search: foldText(title),
        search_text: articleSearchText(c),
        source_ticket_id: null,
        created_by: null,
        created_at: at,
        updated_at: at,
        version: 1,
        deleted_at: null,
      });
    }
    for (let i = 0; i < rows.length; i += 200) {
      await t.ctx.db
        .insertInto('kb_article')
        .values(rows.slice(i, i + 200))
        .execute();
    }
    const page = async (query: string) => json<Page<Summary>>(await req(s, 'GET', `/kb/articles?${query}`));
    const first = await page(`orgId=${org.id}&q=imprimante&limit=100`);
    // The 320 title matches, newest first, then the others.
    expect(first.items[0]!.title).toBe('Imprimante étage 3190');
    expect(first.items.every((a) => a.title.startsWith('Imprimante'))).toBe(true);
    let cursor = first.nextCursor;
    const seen = first.items.map((a) => a.title);
    while (cursor && seen.length < 400) {
      const next = await page(`orgId=${org.id}&q=imprimante&limit=100&cursor=${cursor}`);
      seen.push(...next.items.map((a) => a.title));
      cursor = next.nextCursor;
    }
    expect(seen.slice(318, 322)).toEqual([
      'Imprimante étage 10',
      'Imprimante étage 0',
      'Poste 3199',
      'Poste 3198',
    ]);
    expect(new Set(seen).size).toBe(seen.length);
    // The same without the organisation filter (no narrowing), and a rare word under a common one.
    const all = await page('q=imprimante&limit=3');
    expect(all.items.map((a) => a.title)).toEqual([
      'Imprimante étage 3190',
      'Imprimante étage 3180',
      'Imprimante étage 3170',
    ]);
    const next = await page(`q=imprimante&limit=3&cursor=${all.nextCursor}`);
    expect(next.items.map((a) => a.title)).toEqual([
      'Imprimante étage 3160',
      'Imprimante étage 3150',
      'Imprimante étage 3140',
    ]);
    expect(
      (await page(`orgId=${org.id}&q=${encodeURIComponent('poste 1234')}`)).items.map((a) => a.title),
    ).toEqual(['Poste 1234']);
    expect((await page(`orgId=${org.id}&q=imprimante&tag=rare`)).items.map((a) => a.title)).toEqual([
      'Poste 7',
    ]);
    // Not among the most recent, and too common for the candidate cap: the date index walk.
    const old = await page('q=ancien&limit=5');
    expect(old.items.map((a) => a.title)).toEqual([
      'Poste 2099',
      'Poste 2098',
      'Poste 2097',
      'Poste 2096',
      'Poste 2095',
    ]);
    const older = await page(`q=ancien&limit=5&orgId=${org.id}&cursor=${old.nextCursor}`);
    expect(older.items.map((a) => a.title)).toEqual([
      'Poste 2094',
      'Poste 2093',
      'Poste 2092',
      'Poste 2091',
      'Imprimante étage 2090',
    ]);
  });
});

describe('query words', () => {
  it('drops stop-words and punctuation, keeps inner hyphens and codes', () => {
    expect(searchWords('L’imprimante ne marche pas !')).toEqual(['imprimante']);
    expect(searchWords('the printer is not working')).toEqual(['printer']);
    expect(searchWords('le la')).toEqual(['le', 'la']);
    expect(significantWords('Erreur 0x80070005 sur le Wi-Fi (bureau)')).toEqual([
      '0x80070005',
      'erreur',
      'bureau',
      'wi-fi',
    ]);
  });
});
