/** Every statement on security sources. */
import type { Ctx } from '../../context.js';
import { type OrgScope, whereOrg } from '../../db/scope.js';
import type { SecuritySourceTable } from './security.tables.js';

type DbCtx = Pick<Ctx, 'db'>;

export async function findSource(ctx: DbCtx, id: string) {
  return ctx.db
    .selectFrom('security_source')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findSourceByName(ctx: DbCtx, orgId: string, name: string) {
  return ctx.db
    .selectFrom('security_source')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('name', '=', name)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The syslog source of a sender address: a mapped one first, else the unknown one recorded for it. */
export async function findSourceByIp(ctx: DbCtx, ip: string) {
  const rows = await ctx.db
    .selectFrom('security_source')
    .selectAll()
    .where('ip', '=', ip)
    .where('kind', '=', 'syslog')
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.find((r) => r.org_id !== null) ?? rows[0];
}

export async function insertSource(ctx: DbCtx, row: SecuritySourceTable) {
  await ctx.db.insertInto('security_source').values(row).execute();
}

export async function listSources(
  ctx: DbCtx,
  q: { scope: OrgScope; includeUnknown: boolean; orgId?: string; after?: [string, string]; limit: number },
) {
  let qb = ctx.db.selectFrom('security_source').selectAll().where('deleted_at', 'is', null);
  if (q.orgId) qb = qb.where('org_id', '=', q.orgId);
  qb = q.includeUnknown
    ? qb.where((eb) =>
        eb.or([
          eb('org_id', 'is', null),
          ...(q.scope === 'all'
            ? [eb('org_id', 'is not', null)]
            : q.scope.length
              ? [eb('org_id', 'in', q.scope as string[])]
              : []),
        ]),
      )
    : whereOrg(qb, 'org_id', q.scope);
  if (q.after)
    qb = qb.where((eb) =>
      eb.or([
        eb('name', '>', q.after![0]),
        eb.and([eb('name', '=', q.after![0]), eb('id', '>', q.after![1])]),
      ]),
    );
  return qb.orderBy('name').orderBy('id').limit(q.limit).execute();
}
