/** Per-organisation settings: event retention, the alert webhook (secret sealed), the ingest token. */
import { can } from '../../../shared/policy.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { randomToken, safeEqual, sha256 } from '../../crypto.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import type { SecuritySettingsTable } from './security.tables.js';

export const DEFAULT_RETENTION_DAYS = 90;
export const INGEST_TOKEN_PREFIX = 'psec_';

type DbCtx = Pick<Ctx, 'db'>;

export async function findSettings(ctx: DbCtx, orgId: string): Promise<SecuritySettingsTable | undefined> {
  return ctx.db.selectFrom('security_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

/** Every organisation's retention (those without settings keep the default), for the retention job. */
export async function retentionByOrg(ctx: DbCtx): Promise<Map<string, number>> {
  // Every stored event has a source of its organisation: the small table says which have events.
  const orgs = (
    await ctx.db
      .selectFrom('security_source')
      .select('org_id')
      .distinct()
      .where('org_id', 'is not', null)
      .execute()
  ).map((o) => ({ org_id: o.org_id! }));
  const settings = await ctx.db
    .selectFrom('security_settings')
    .select(['org_id', 'retention_days'])
    .execute();
  const out = new Map(orgs.map((o) => [o.org_id, DEFAULT_RETENTION_DAYS]));
  for (const s of settings) out.set(s.org_id, s.retention_days);
  return out;
}

function view(orgId: string, row: SecuritySettingsTable | undefined) {
  return {
    orgId,
    retentionDays: row?.retention_days ?? DEFAULT_RETENTION_DAYS,
    webhookUrl: row?.webhook_url ?? null,
    hasWebhookSecret: !!row?.webhook_secret_sealed,
    hasIngestToken: !!row?.ingest_token_hash,
    version: row?.version ?? 0,
  };
}

function assertManage(ctx: Ctx, orgId: string) {
  const actor = requireActor(ctx);
  if (!can(actor, 'security.read', { orgId })) throw notFound('org');
  if (!can(actor, 'security.manage', { orgId })) throw forbidden();
}

export async function getSettings(ctx: Ctx, orgId: string) {
  assertManage(ctx, orgId);
  return view(orgId, await findSettings(ctx, orgId));
}

async function save(tx: Ctx, orgId: string, version: number, set: Partial<SecuritySettingsTable>) {
  const before = await findSettings(tx, orgId);
  const now = tx.now.toISOString();
  if (!before) {
    if (version !== 0) throw preconditionFailed(0);
    await tx.db
      .insertInto('security_settings')
      .values({
        org_id: orgId,
        retention_days: DEFAULT_RETENTION_DAYS,
        webhook_url: null,
        webhook_secret_sealed: null,
        ingest_token_hash: null,
        ...set,
        updated_at: now,
        version: 1,
      })
      .execute();
  } else {
    const r = await tx.db
      .updateTable('security_settings')
      .set({ ...set, updated_at: now, version: version + 1 })
      .where('org_id', '=', orgId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw preconditionFailed(before.version);
  }
  return (await findSettings(tx, orgId))!;
}

/** Retention and webhook (If-Match; version 0 before the first save). The secret is never returned. */
export async function updateSettings(
  ctx: Ctx,
  orgId: string,
  version: number,
  input: { retentionDays?: number; webhookUrl?: string | null; webhookSecret?: string | null },
) {
  assertManage(ctx, orgId);
  if (input.webhookUrl && input.webhookSecret === null)
    throw new AppError('validation.failed', 422, {}, {}, [{ path: 'webhookSecret', code: 'required' }]);
  return inTransaction(ctx, async (tx) => {
    const row = await save(tx, orgId, version, {
      ...(input.retentionDays !== undefined ? { retention_days: input.retentionDays } : {}),
      ...(input.webhookUrl !== undefined ? { webhook_url: input.webhookUrl } : {}),
      ...(input.webhookSecret !== undefined
        ? {
            webhook_secret_sealed: input.webhookSecret === null ? null : tx.secrets.seal(input.webhookSecret),
          }
        : {}),
    });
    await recordAudit(tx, {
      orgId,
      action: 'security.settings_changed',
      entityType: 'security_settings',
      entityId: orgId,
      after: {
        retentionDays: input.retentionDays,
        webhookUrl: input.webhookUrl,
        webhookSecret: input.webhookSecret === undefined ? undefined : '[sealed]',
      },
    });
    return view(orgId, row);
  });
}

/** A new ingest token for the organisation (the previous one stops working); shown once. */
export async function createIngestToken(ctx: Ctx, orgId: string) {
  assertManage(ctx, orgId);
  const token = `${INGEST_TOKEN_PREFIX}${randomToken(32)}`;
  await inTransaction(ctx, async (tx) => {
    const before = await findSettings(tx, orgId);
    await save(tx, orgId, before?.version ?? 0, { ingest_token_hash: sha256(token) });
    await recordAudit(tx, {
      orgId,
      action: 'security.ingest_token_created',
      entityType: 'security_settings',
      entityId: orgId,
    });
  });
  return { orgId, token, ingestPath: '/api/v1/security/ingest' };
}

/** The organisation whose ingest token this is, or null. */
export async function orgOfIngestToken(ctx: DbCtx, token: string): Promise<string | null> {
  if (!token.startsWith(INGEST_TOKEN_PREFIX)) return null;
  const hash = sha256(token);
  const row = await ctx.db
    .selectFrom('security_settings')
    .select(['org_id', 'ingest_token_hash'])
    .where('ingest_token_hash', '=', hash)
    .executeTakeFirst();
  return row?.ingest_token_hash && safeEqual(row.ingest_token_hash, hash) ? row.org_id : null;
}
