import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TEnrolmentToken, TInventoryRule } from '../../../shared/schemas/inventory.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { randomToken, sha256 } from '../../crypto.js';
import { AppError, forbidden, notFound } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './inventory.repo.js';
import type { InventoryRuleKind, InventoryRuleTable, InventoryTokenTable } from './inventory.tables.js';

/** Enrolment tokens: `penr_<8 characters shown in lists>_<secret>`; only the SHA-256 is stored. */
const TOKEN_RE = /^penr_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 60_000;

function toToken(row: InventoryTokenTable): TEnrolmentToken {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function assertManage(ctx: Ctx, orgId: string): void {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'inventory.manage', { orgId })) throw forbidden();
}

export async function createEnrolmentToken(
  ctx: Ctx,
  input: { orgId: string; name: string },
): Promise<TEnrolmentToken & { token: string }> {
  assertManage(ctx, input.orgId);
  const actor = requireActor(ctx);
  const prefix = randomToken(6)
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 8);
  const token = `penr_${prefix}_${randomToken(32)}`;
  const row: InventoryTokenTable = {
    id: uuidv7(),
    org_id: input.orgId,
    name: input.name,
    prefix,
    token_hash: sha256(token),
    created_by: actor.via === 'system' ? null : actor.userId,
    created_at: ctx.now.toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await inTransaction(ctx, async (tx) => {
    await repo.insertToken(tx, row);
    await recordAudit(tx, {
      orgId: input.orgId,
      action: 'inventory.token_created',
      entityType: 'inventory_token',
      entityId: row.id,
      after: toToken(row),
    });
  });
  return { ...toToken(row), token };
}

export async function listEnrolmentTokens(
  ctx: Ctx,
  q: { orgId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<TEnrolmentToken>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'inventory.manage')) throw forbidden();
  const rows = await repo.listTokens(ctx, {
    scope: orgsWhere(actor, 'inventory.manage'),
    orgId: q.orgId,
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, toToken, (r) => [r.created_at, r.id]);
}

export async function revokeEnrolmentToken(ctx: Ctx, id: string): Promise<void> {
  const row = await repo.findToken(ctx, id);
  if (!row || !can(requireActor(ctx), 'org.read', { orgId: row.org_id })) throw notFound('inventory_token');
  assertManage(ctx, row.org_id);
  await inTransaction(ctx, async (tx) => {
    await repo.revokeToken(tx, id, tx.now.toISOString());
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'inventory.token_revoked',
      entityType: 'inventory_token',
      entityId: id,
      before: toToken(row),
    });
  });
}

/** The organisation an agent's token files it into; an unknown or revoked token is refused. */
export async function resolveEnrolment(ctx: Ctx, token: string): Promise<{ orgId: string; tokenId: string }> {
  const row = TOKEN_RE.test(token) ? await repo.findTokenByHash(ctx, sha256(token)) : undefined;
  if (!row) throw new AppError('inventory.bad_token', 401, {});
  if (row.revoked_at) throw new AppError('inventory.revoked_token', 401, {});
  const now = ctx.now.toISOString();
  if (!row.last_used_at || ctx.now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await repo.touchToken(ctx, row.id, now);
  }
  return { orgId: row.org_id, tokenId: row.id };
}

// --- rules -----------------------------------------------------------------------------------------

function toRule(row: InventoryRuleTable): TInventoryRule {
  return {
    id: row.id,
    orgId: row.org_id,
    kind: row.kind,
    pattern: row.pattern,
    priority: row.priority,
    createdAt: row.created_at,
    version: row.version,
  };
}

export async function listInventoryRules(ctx: Ctx): Promise<TInventoryRule[]> {
  const actor = requireActor(ctx);
  if (!can(actor, 'inventory.manage')) throw forbidden();
  return (await repo.listRules(ctx, orgsWhere(actor, 'inventory.manage'))).map(toRule);
}

export async function createInventoryRule(
  ctx: Ctx,
  input: { orgId: string; kind: InventoryRuleKind; pattern: string; priority: number },
): Promise<TInventoryRule> {
  assertManage(ctx, input.orgId);
  const now = ctx.now.toISOString();
  const row: InventoryRuleTable = {
    id: uuidv7(),
    org_id: input.orgId,
    kind: input.kind,
    pattern: input.pattern,
    priority: input.priority,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await inTransaction(ctx, async (tx) => {
    await repo.insertRule(tx, row);
    await recordAudit(tx, {
      orgId: input.orgId,
      action: 'inventory.rule_created',
      entityType: 'inventory_rule',
      entityId: row.id,
      after: toRule(row),
    });
  });
  return toRule(row);
}

export async function deleteInventoryRule(ctx: Ctx, id: string): Promise<void> {
  const row = await repo.findRule(ctx, id);
  if (!row || !can(requireActor(ctx), 'org.read', { orgId: row.org_id })) throw notFound('inventory_rule');
  assertManage(ctx, row.org_id);
  await inTransaction(ctx, async (tx) => {
    await repo.deleteRule(tx, id);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'inventory.rule_deleted',
      entityType: 'inventory_rule',
      entityId: id,
      before: toRule(row),
    });
  });
}
