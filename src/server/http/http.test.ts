import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, makeOrg, makeUser, type Session, type TestApp, testApp } from '../test/harness.js';

let t: TestApp;
let admin: Session;
let orgId: string;

beforeAll(async () => {
  t = await testApp({ env: { PARC_BODY_LIMIT: '4096' } });
  const home = await makeOrg(t.ctx, { home: true });
  orgId = home.id;
  const user = await makeUser(t.ctx, { orgId, roles: ['admin'] });
  admin = await login(t.app, user.email);
});
afterAll(() => t.close());

const post = (url: string, payload: string | object, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...admin.headers, ...headers },
  });

describe('HTTP conventions', () => {
  it('answers malformed JSON with a 400 problem document', async () => {
    const res = await post('/api/v1/orgs', '{"name": ');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(res)).toMatchObject({
      status: 400,
      code: 'request.malformed_json',
      type: 'urn:parc:problem:request.malformed_json',
    });
  });

  it('lists every invalid field with its path, translated by Accept-Language', async () => {
    const res = await post(
      '/api/v1/orgs',
      { name: 42, slug: 'Not A Slug!', colour: 'red' },
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    expect(res.statusCode).toBe(400);
    const body = json<{
      code: string;
      title: string;
      errors: Array<{ path: string; code: string; message: string }>;
    }>(res);
    expect(body.code).toBe('validation.failed');
    expect(body.title).toBe('Invalid request');
    expect(body.errors.map((e) => e.path).sort()).toEqual(['colour', 'name', 'slug']);
    expect(body.errors.find((e) => e.path === 'colour')).toMatchObject({
      code: 'unrecognized_keys',
      message: 'Unknown field',
    });
    const fr = await post('/api/v1/orgs', { slug: 'ok-slug' }, { 'accept-language': 'fr-FR' });
    const frBody = json<{ title: string; errors: Array<{ path: string; code: string; message: string }> }>(
      fr,
    );
    expect(frBody.title).toBe('Requête invalide');
    expect(frBody.errors).toEqual([{ path: 'name', code: 'required', message: 'Obligatoire' }]);
  });

  it('reports query and path parameter errors with their location', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users?limit=5000',
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(res).errors[0]!.path).toBe('query.limit');
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/orgs/not-a-uuid', headers: admin.headers });
    expect(json<{ errors: Array<{ path: string }> }>(bad).errors[0]!.path).toBe('params.id');
  });

  it('refuses an oversized body with 413', async () => {
    const res = await post('/api/v1/orgs', { name: 'x'.repeat(10_000), slug: 'big' });
    expect(res.statusCode).toBe(413);
    expect(json(res)).toMatchObject({ code: 'request.too_large' });
  });

  it('stores quotes and SQL metacharacters verbatim', async () => {
    const name = `O'Brien"; DROP TABLE organisation; -- %_\\`;
    const res = await post('/api/v1/orgs', { name, slug: 'obrien' });
    expect(res.statusCode).toBe(201);
    const id = json<{ id: string }>(res).id;
    const got = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${id}`, headers: admin.headers });
    expect(json(got).name).toBe(name);
    const search = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs?q=${encodeURIComponent('\'Brien"; DROP')}`,
      headers: admin.headers,
    });
    expect(json<{ items: Array<{ id: string }> }>(search).items.map((o) => o.id)).toEqual([id]);
    // A LIKE wildcard in the search matches itself only.
    const pct = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs?q=${encodeURIComponent('%')}`,
      headers: admin.headers,
    });
    expect(json<{ items: Array<{ id: string }> }>(pct).items.map((o) => o.id)).toEqual([id]);
  });

  it('pages lists with an opaque cursor and rejects a forged one', async () => {
    for (let i = 0; i < 5; i++) await post('/api/v1/orgs', { name: `Paged ${i}`, slug: `paged-${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/orgs?q=Paged&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json<{ items: Array<{ name: string }>; nextCursor: string | null }>(
        await t.app.inject({ method: 'GET', url, headers: admin.headers }),
      );
      seen.push(...page.items.map((o) => o.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Paged 0', 'Paged 1', 'Paged 2', 'Paged 3', 'Paged 4']);
    const forged = await t.app.inject({
      method: 'GET',
      url: '/api/v1/orgs?cursor=%7Bnope',
      headers: admin.headers,
    });
    expect(forged.statusCode).toBe(400);
  });

  it('sends the API security headers on JSON and a strict policy on pages', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: admin.headers });
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    const problem = await t.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(problem.headers['x-content-type-options']).toBe('nosniff');
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(String(docs.headers['content-security-policy'])).toMatch(/default-src 'self'/);
    expect(docs.headers['x-frame-options']).toBe('DENY');
  });

  it('answers unknown API routes with a problem document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: admin.headers });
    expect(res.statusCode).toBe(404);
    expect(json(res)).toMatchObject({ code: 'request.not_found' });
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect(json(await t.app.inject({ method: 'GET', url: '/healthz' }))).toEqual({ status: 'ok' });
    expect(json(await t.app.inject({ method: 'GET', url: '/readyz' }))).toEqual({ status: 'ready' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('parc_http_requests_total{method="GET",route="/healthz",status="200"}');
    const doc = json<{ openapi: string; paths: Record<string, unknown> }>(
      await t.app.inject({ method: 'GET', url: '/api/openapi.json' }),
    );
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me', '/api/v1/users/{id}', '/api/v1/audit']),
    );
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
  });
});
