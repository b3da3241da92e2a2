import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { describe, expect, it } from 'vitest';
import { type ZodType, z } from 'zod';
import * as assets from '../../shared/schemas/assets.js';
import * as audit from '../../shared/schemas/audit.js';
import * as auth from '../../shared/schemas/auth.js';
import { zPage } from '../../shared/schemas/common.js';
import * as orgs from '../../shared/schemas/orgs.js';
import { responseSerializerCompiler } from './serializer.js';

const compile = (schema: ZodType) =>
  responseSerializerCompiler({
    schema,
    method: 'GET',
    url: '/x',
    httpStatus: '200',
  } as FastifyRouteSchemaDef<ZodType>);

describe('response serializer', () => {
  it('every response schema compiles to JSON Schema (no silent fallback to zod)', () => {
    const responses = {
      ZOrganisation: orgs.ZOrganisation,
      ZUser: orgs.ZUser,
      ZGroup: orgs.ZGroup,
      ZMe: auth.ZMe,
      ZApiToken: auth.ZApiToken,
      ZApiTokenCreated: auth.ZApiTokenCreated,
      ZTotpSetup: auth.ZTotpSetup,
      ZRecoveryCodes: auth.ZRecoveryCodes,
      ZAuditEntry: audit.ZAuditEntry,
      ZLocation: assets.ZLocation,
      ZLocationContents: assets.ZLocationContents,
      ZParty: assets.ZParty,
      ZModel: assets.ZModel,
      ZAssetType: assets.ZAssetType,
      ZAsset: assets.ZAsset,
      ZRelation: assets.ZRelation,
      ZHistoryEntry: assets.ZHistoryEntry,
    };
    for (const [name, schema] of Object.entries(responses)) {
      expect(
        () => z.toJSONSchema(zPage(schema), { io: 'output', target: 'draft-7', unrepresentable: 'throw' }),
        name,
      ).not.toThrow();
    }
  });

  it('writes the declared fields only, with nulls, nested arrays and free-form JSON intact', () => {
    const serialize = compile(zPage(audit.ZAuditEntry));
    const entry = {
      id: '01890000-0000-7000-8000-000000000001',
      seq: 3,
      orgId: null,
      actorId: null,
      actorLabel: 'system',
      at: '2026-01-01T00:00:00.000Z',
      action: 'org.created',
      entityType: 'organisation',
      entityId: 'x',
      before: null,
      after: { name: 'Acme "quoted"', tags: ['a', 1, true], nested: { k: null } },
      ip: null,
      requestId: 'r-1',
      secret: 'must not leave',
    };
    const out = JSON.parse(serialize({ items: [entry], nextCursor: null }));
    const { secret: _dropped, ...expected } = entry;
    expect(out).toEqual({ items: [expected], nextCursor: null });
  });

  it('serializes the current user as zod would, dropping anything undeclared', () => {
    const me = {
      id: '01890000-0000-7000-8000-000000000002',
      email: 'a@example.test',
      displayName: 'A',
      locale: null,
      mustChangePassword: false,
      totpEnabled: true,
      globalAdmin: false,
      memberships: [{ orgId: '01890000-0000-7000-8000-000000000003', orgName: 'Org', roles: ['technician'] }],
      csrfToken: null,
      via: 'token',
      passwordHash: 'never',
    };
    const out = JSON.parse(compile(auth.ZMe)(me));
    expect(out).toEqual(auth.ZMe.parse(me));
    expect(out.passwordHash).toBeUndefined();
  });
});
