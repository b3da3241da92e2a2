import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAssetType, TModel, TParty } from '../../../shared/schemas/assets.js';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';

const DESKTOP_TYPE = '00000000-0000-7000-8000-000000000001';
const LAPTOP_TYPE = '00000000-0000-7000-8000-000000000002';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let s: Record<'adminA' | 'techA' | 'requesterA' | 'adminB', Session>;

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  s = {
    adminA: await login(t.app, w.adminA.email),
    techA: await login(t.app, w.techA.email),
    requesterA: await login(t.app, w.requesterA.email),
    adminB: await login(t.app, w.adminB.email),
  };
});
afterAll(() => t.close());

const req = (
  who: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...who.headers, ...headers },
    ...(payload && { payload }),
  });

async function created<T>(who: Session, url: string, payload: object): Promise<T> {
  const res = await req(who, 'POST', url, payload);
  if (res.statusCode !== 201) throw new Error(`POST ${url}: ${res.statusCode} ${res.body}`);
  return json<T>(res);
}

type Errors = { code: string; errors: Array<{ path: string; code: string }> };

describe('manufacturers and suppliers', () => {
  it('a technician creates, edits with If-Match and deletes a manufacturer; names are unique per organisation', async () => {
    const made = await created<TParty>(s.techA, '/manufacturers', {
      orgId: w.orgA.id,
      name: 'Lenovo',
      website: 'https://www.lenovo.com',
    });
    expect(made).toMatchObject({ name: 'Lenovo', contactEmail: null, notes: '', version: 1 });
    const dup = await req(s.techA, 'POST', '/manufacturers', { orgId: w.orgA.id, name: 'LENOVO' });
    expect(dup.statusCode).toBe(409);
    expect(json<Errors>(dup)).toMatchObject({ code: 'conflict.duplicate', errors: [{ path: 'name' }] });
    // Another organisation keeps its own catalogue.
    await created<TParty>(s.adminB, '/manufacturers', { orgId: w.orgB.id, name: 'Lenovo' });

    const other = await created<TParty>(s.techA, '/manufacturers', { orgId: w.orgA.id, name: 'Dell' });
    const clash = await req(
      s.techA,
      'PATCH',
      `/manufacturers/${other.id}`,
      { name: 'lenovo' },
      { 'if-match': '"v1"' },
    );
    expect(clash.statusCode).toBe(409);
    const edit = await req(
      s.techA,
      'PATCH',
      `/manufacturers/${made.id}`,
      { phone: '+33 1 23 45 67 89' },
      { 'if-match': '"v1"' },
    );
    expect(edit.headers.etag).toBe('"v2"');
    expect(json<TParty>(edit).phone).toBe('+33 1 23 45 67 89');
    const stale = await req(
      s.techA,
      'PATCH',
      `/manufacturers/${made.id}`,
      { notes: 'late' },
      { 'if-match': '"v1"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(
      (await req(s.techA, 'DELETE', `/manufacturers/${other.id}`, undefined, { 'if-match': '"v1"' }))
        .statusCode,
    ).toBe(204);
    expect((await req(s.techA, 'GET', `/manufacturers/${other.id}`)).statusCode).toBe(404);
  });

  it('a requester gets 403 and another organisation 404', async () => {
    const supplier = await created<TParty>(s.techA, '/suppliers', { orgId: w.orgA.id, name: 'Bechtle' });
    expect(
      (await req(s.requesterA, 'POST', '/suppliers', { orgId: w.orgA.id, name: 'Nope' })).statusCode,
    ).toBe(403);
    expect((await req(s.requesterA, 'GET', '/suppliers')).statusCode).toBe(403);
    expect((await req(s.adminB, 'GET', `/suppliers/${supplier.id}`)).statusCode).toBe(404);
    const ifMatch = { 'if-match': '"v1"' };
    expect(
      (await req(s.adminB, 'PATCH', `/suppliers/${supplier.id}`, { name: 'Mine' }, ifMatch)).statusCode,
    ).toBe(404);
    expect(
      (await req(s.adminB, 'POST', '/suppliers', { orgId: w.orgA.id, name: 'Intruder' })).statusCode,
    ).toBe(404);
    const listB = json<{ items: TParty[] }>(await req(s.adminB, 'GET', '/suppliers?limit=200'));
    expect(listB.items.map((p) => p.id)).not.toContain(supplier.id);
  });

  it('pages suppliers by name with a cursor and searches them', async () => {
    for (const name of ['Page Echo', 'Page Alpha', 'Page Delta', 'Page Bravo', 'Page Charlie']) {
      await created<TParty>(s.techA, '/suppliers', { orgId: w.orgA.id, name });
    }
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/suppliers?q=page&orgId=${w.orgA.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json<{ items: TParty[]; nextCursor: string | null }>(await req(s.techA, 'GET', url));
      expect(page.items.length).toBeLessThanOrEqual(2);
      names.push(...page.items.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(['Page Alpha', 'Page Bravo', 'Page Charlie', 'Page Delta', 'Page Echo']);
  });
});

describe('models', () => {
  it('needs a manufacturer and a type its organisation sees, and shows the manufacturer name', async () => {
    const hp = await created<TParty>(s.techA, '/manufacturers', { orgId: w.orgA.id, name: 'HP' });
    const hpB = await created<TParty>(s.adminB, '/manufacturers', { orgId: w.orgB.id, name: 'HP B' });
    const typeB = await created<TAssetType>(s.adminB, '/asset-types', {
      orgId: w.orgB.id,
      code: 'kiosk',
      category: 'computer',
      name: { fr: 'Borne', en: 'Kiosk' },
    });
    const bad = await req(s.techA, 'POST', '/models', {
      orgId: w.orgA.id,
      manufacturerId: hpB.id,
      typeId: typeB.id,
      name: 'EliteBook 840',
    });
    expect(bad.statusCode).toBe(422);
    expect(json<Errors>(bad).errors.map((e) => e.path)).toEqual(['manufacturerId', 'typeId']);

    const model = await created<TModel>(s.techA, '/models', {
      orgId: w.orgA.id,
      manufacturerId: hp.id,
      typeId: LAPTOP_TYPE,
      name: 'EliteBook 840',
      specs: { cpu: 'i5' },
      boxContents: ['charger'],
    });
    expect(model).toMatchObject({ manufacturerName: 'HP', specs: { cpu: 'i5' }, boxContents: ['charger'] });
    const dup = await req(s.techA, 'POST', '/models', {
      orgId: w.orgA.id,
      manufacturerId: hp.id,
      typeId: LAPTOP_TYPE,
      name: 'elitebook 840',
    });
    expect(dup.statusCode).toBe(409);
    await created<TModel>(s.techA, '/models', {
      orgId: w.orgA.id,
      manufacturerId: hp.id,
      typeId: DESKTOP_TYPE,
      name: 'ProDesk 400',
    });

    const byType = json<{ items: TModel[] }>(
      await req(s.techA, 'GET', `/models?manufacturerId=${hp.id}&typeId=${LAPTOP_TYPE}`),
    );
    expect(byType.items.map((m) => m.name)).toEqual(['EliteBook 840']);
    const byText = json<{ items: TModel[] }>(await req(s.techA, 'GET', '/models?q=prodesk'));
    expect(byText.items.map((m) => m.name)).toEqual(['ProDesk 400']);
    expect((await req(s.adminB, 'GET', `/models/${model.id}`)).statusCode).toBe(404);

    const edit = await req(
      s.techA,
      'PATCH',
      `/models/${model.id}`,
      { lifetimeMonths: 48 },
      { 'if-match': '"v1"' },
    );
    expect(json<TModel>(edit)).toMatchObject({ lifetimeMonths: 48, manufacturerName: 'HP', version: 2 });
    const inUse = await req(s.techA, 'DELETE', `/manufacturers/${hp.id}`, undefined, { 'if-match': '"v1"' });
    expect(inUse.statusCode).toBe(409);
    expect(json(inUse).code).toBe('manufacturer.in_use');
  });
});

describe('asset types', () => {
  it('lists the built-in types with the organisation’s own, never another’s', async () => {
    const own = await created<TAssetType>(s.adminA, '/asset-types', {
      orgId: w.orgA.id,
      code: 'badge_reader',
      category: 'peripheral',
      name: { fr: 'Lecteur de badge', en: 'Badge reader' },
    });
    const theirs = await created<TAssetType>(s.adminB, '/asset-types', {
      orgId: w.orgB.id,
      code: 'badge_reader',
      category: 'peripheral',
      name: { fr: 'Lecteur', en: 'Reader' },
    });
    const list = json<{ items: TAssetType[] }>(await req(s.techA, 'GET', `/asset-types?orgId=${w.orgA.id}`));
    const ids = list.items.map((x) => x.id);
    expect(ids).toContain(DESKTOP_TYPE);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(theirs.id);
    expect(list.items.filter((x) => x.builtIn)).toHaveLength(18);
    expect(list.items.find((x) => x.id === DESKTOP_TYPE)!.name).toEqual({
      fr: 'Ordinateur fixe',
      en: 'Desktop computer',
    });
    expect((await req(s.techA, 'GET', `/asset-types/${theirs.id}`)).statusCode).toBe(404);
    expect((await req(s.techA, 'GET', `/asset-types?orgId=${w.orgB.id}`)).statusCode).toBe(403);
    const dup = await req(s.adminA, 'POST', '/asset-types', {
      orgId: w.orgA.id,
      code: 'laptop',
      category: 'computer',
      name: { fr: 'Portable', en: 'Laptop' },
    });
    expect(dup.statusCode).toBe(409);
    expect(json<Errors>(dup).errors[0]!.path).toBe('code');
  });

  it('only an administrator defines types, and custom fields are checked with their paths', async () => {
    const body = {
      orgId: w.orgA.id,
      code: 'ups',
      category: 'component',
      name: { fr: 'Onduleur', en: 'UPS' },
      customFields: [
        { key: 'va', label: 'Power (VA)', type: 'number', options: ['1'] },
        { key: 'form', label: 'Form factor', type: 'list' },
        { key: 'va', label: 'Again', type: 'text' },
        { key: 'kind', label: 'Kind', type: 'list', options: [] },
      ],
    };
    expect((await req(s.techA, 'POST', '/asset-types', body)).statusCode).toBe(403);
    const bad = await req(s.adminA, 'POST', '/asset-types', body);
    expect(bad.statusCode).toBe(400);
    expect(json<Errors>(bad).errors).toEqual([
      expect.objectContaining({ path: 'customFields.0.options', code: 'not_allowed' }),
      expect.objectContaining({ path: 'customFields.1.options', code: 'required' }),
      expect.objectContaining({ path: 'customFields.2.key', code: 'duplicate' }),
      expect.objectContaining({ path: 'customFields.3.options', code: 'required' }),
    ]);

    const ups = await created<TAssetType>(s.adminA, '/asset-types', {
      ...body,
      customFields: [
        { key: 'va', label: 'Power (VA)', type: 'number', required: true },
        { key: 'form', label: 'Form factor', type: 'list', options: ['tower', 'rack'] },
      ],
    });
    expect(ups).toMatchObject({ builtIn: false, orgId: w.orgA.id, version: 1 });
    expect(ups.customFields[1]).toEqual({
      key: 'form',
      label: 'Form factor',
      type: 'list',
      required: false,
      options: ['tower', 'rack'],
    });

    const edited = await req(
      s.adminA,
      'PATCH',
      `/asset-types/${ups.id}`,
      {
        name: { fr: 'Onduleur (UPS)', en: 'UPS' },
        customFields: [{ key: 'va', label: 'VA', type: 'number' }],
      },
      { 'if-match': '"v1"' },
    );
    expect(edited.statusCode).toBe(200);
    expect(json<TAssetType>(edited)).toMatchObject({
      name: { fr: 'Onduleur (UPS)' },
      customFields: [{ key: 'va' }],
      version: 2,
    });
    const audit = json<{ items: Array<{ action: string }> }>(
      await req(s.adminA, 'GET', `/audit?entityType=asset_type&entityId=${ups.id}`),
    );
    expect(audit.items.map((e) => e.action).sort()).toEqual(['asset_type.created', 'asset_type.updated']);
  });

  it('built-in types cannot be changed', async () => {
    const res = await req(
      s.adminA,
      'PATCH',
      `/asset-types/${DESKTOP_TYPE}`,
      { customFields: [{ key: 'ram_gb', label: 'RAM', type: 'number' }] },
      { 'if-match': '"v1"' },
    );
    expect(res.statusCode).toBe(422);
    expect(json(res).code).toBe('asset_type.built_in');
    expect(
      (
        await req(
          s.techA,
          'PATCH',
          `/asset-types/${DESKTOP_TYPE}`,
          { name: { fr: 'x', en: 'x' } },
          { 'if-match': '"v1"' },
        )
      ).statusCode,
    ).toBe(403);
    expect(json<TAssetType>(await req(s.techA, 'GET', `/asset-types/${DESKTOP_TYPE}`)).customFields).toEqual(
      [],
    );
  });
});

describe('audit', () => {
  it('records catalogue writes under the acting technician', async () => {
    const m = await created<TParty>(s.techA, '/manufacturers', { orgId: w.orgA.id, name: 'Audited maker' });
    await req(s.techA, 'PATCH', `/manufacturers/${m.id}`, { notes: 'n' }, { 'if-match': '"v1"' });
    const audit = json<{ items: Array<{ action: string; actorId: string; orgId: string }> }>(
      await req(s.adminA, 'GET', `/audit?entityId=${m.id}`),
    );
    expect(audit.items.map((e) => e.action).sort()).toEqual(['manufacturer.created', 'manufacturer.updated']);
    expect(audit.items.every((e) => e.actorId === w.techA.id && e.orgId === w.orgA.id)).toBe(true);
  });
});

describe('installation notices', () => {
  it('attaches the manufacturer notice (PDF only, stored once) and serves it back', async () => {
    const maker = await created<TParty>(s.techA, '/manufacturers', {
      orgId: w.orgA.id,
      name: 'Notice Maker',
    });
    const model = await created<TModel>(s.techA, '/models', {
      orgId: w.orgA.id,
      manufacturerId: maker.id,
      typeId: LAPTOP_TYPE,
      name: 'ThinkPad N',
    });
    const pdf = Buffer.from('%PDF-1.4\n% a tiny notice\n%%EOF\n');
    const put = (body: Buffer, headers: Record<string, string>) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/models/${model.id}/notice`,
        payload: body,
        headers: { ...s.techA.headers, 'content-type': 'application/pdf', ...headers },
      });
    const notPdf = await put(Buffer.from('MZ\x90\x00 not a pdf'), { 'if-match': '"v1"' });
    expect(notPdf.statusCode).toBe(415);
    expect(json(notPdf).code).toBe('file.bad_type');
    const ok = await put(pdf, {
      'if-match': '"v1"',
      'x-file-name': encodeURIComponent('Notice d’installation.pdf'),
    });
    expect(ok.statusCode).toBe(200);
    expect(json<TModel>(ok).notice).toMatchObject({ name: 'Notice d’installation.pdf' });
    const back = await t.app.inject({
      method: 'GET',
      url: `/api/v1/models/${model.id}/notice`,
      headers: s.techA.headers,
    });
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(back.rawPayload.equals(pdf)).toBe(true);
    const requester = await t.app.inject({
      method: 'GET',
      url: `/api/v1/models/${model.id}/notice`,
      headers: s.adminB.headers,
    });
    expect(requester.statusCode).toBe(404);
    const blobs = await t.db.handle.db.selectFrom('file_blob').select('sha256').execute();
    const again = await put(pdf, { 'if-match': '"v2"' });
    expect(again.statusCode).toBe(200);
    expect(await t.db.handle.db.selectFrom('file_blob').select('sha256').execute()).toHaveLength(
      blobs.length,
    );
  });
});
