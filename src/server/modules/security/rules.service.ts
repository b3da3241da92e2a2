/**
 * Detection rules per organisation: the built-in ones (which an organisation may turn off) and the
 * security officer's own YAML rules (one rule per record, refused with line and column when wrong,
 * testable against stored events or a log text before being enabled).
 */
import { Readable } from 'node:stream';
import { uuidv7 } from 'uuidv7';
import { can } from '../../../shared/policy.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { toBool } from '../../db/values.js';
import { updateVersioned } from '../../db/versioned.js';
import { AppError, forbidden, isUniqueViolation, notFound, preconditionFailed } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import { analyseStream } from './analyse.js';
import { listEvents } from './events.repo.js';
import type { SecurityEvent } from './formats/event.js';
import { builtinRules } from './rules/builtin.js';
import { DetectionEngine } from './rules/engine.js';
import { loadRules, type Rule, RuleFileError } from './rules/load.js';
import type { SecurityRuleTable } from './security.tables.js';

/** Listeners told when an organisation's rules change (the running pipeline reloads its engine). */
const ruleListeners = new Set<(orgId: string) => void>();
export function onRulesChanged(listener: (orgId: string) => void): () => void {
  ruleListeners.add(listener);
  return () => ruleListeners.delete(listener);
}

async function rowsOf(ctx: Pick<Ctx, 'db'>, orgId: string) {
  return ctx.db.selectFrom('security_rule').selectAll().where('org_id', '=', orgId).execute();
}

/** Parses one custom rule; a YAML problem is a 422 listing each problem with its line and column. */
export function parseCustomRule(yaml: string): Rule {
  let rules: Rule[];
  try {
    rules = loadRules(yaml, 'custom');
  } catch (err) {
    if (!(err instanceof RuleFileError)) throw err;
    throw new AppError(
      'security_rule.invalid',
      422,
      { count: err.problems.length },
      { problems: err.problems.map((p) => ({ line: p.line, col: p.col, message: p.message })) },
      err.problems.map((p) => ({
        path: 'yaml',
        code: 'invalid',
        message: `${p.line}:${p.col}: ${p.message}`,
      })),
    );
  }
  if (rules.length !== 1)
    throw new AppError(
      'security_rule.invalid',
      422,
      { count: 1 },
      { problems: [{ line: 1, col: 1, message: 'exactly one rule per record' }] },
      [{ path: 'yaml', code: 'one_rule' }],
    );
  return rules[0]!;
}

/** The rules the pipeline runs for an organisation: built-in ones not turned off, and its enabled own. */
export async function orgRules(ctx: Pick<Ctx, 'db'>, orgId: string): Promise<Rule[]> {
  const rows = await rowsOf(ctx, orgId);
  const off = new Set(rows.filter((r) => toBool(r.builtin) && !toBool(r.enabled)).map((r) => r.rule_id));
  const rules = builtinRules().filter((r) => !off.has(r.id));
  for (const r of rows) {
    if (toBool(r.builtin) || !toBool(r.enabled) || !r.yaml) continue;
    try {
      rules.push({ ...parseCustomRule(r.yaml), enabled: true });
    } catch {
      // Stored rules were valid when saved; a rule the format no longer accepts is skipped, not fatal.
    }
  }
  return rules;
}

function view(orgId: string, rule: Rule, row: SecurityRuleTable | undefined, builtin: boolean) {
  return {
    id: row?.id ?? null,
    orgId,
    ruleId: rule.id,
    title: rule.title,
    description: rule.description,
    severity: rule.severity,
    builtin,
    enabled: row ? toBool(row.enabled) : builtin,
    yaml: rule.text,
    version: row?.version ?? 0,
  };
}

function assertRead(ctx: Ctx, orgId: string) {
  if (!can(requireActor(ctx), 'security.read', { orgId })) throw notFound('org');
}
function assertManage(ctx: Ctx, orgId: string) {
  assertRead(ctx, orgId);
  if (!can(requireActor(ctx), 'security.manage', { orgId })) throw forbidden();
}

export async function listRules(ctx: Ctx, orgId: string) {
  assertRead(ctx, orgId);
  const rows = await rowsOf(ctx, orgId);
  const byRule = new Map(rows.map((r) => [r.rule_id, r]));
  const out = builtinRules().map((r) => view(orgId, r, byRule.get(r.id), true));
  for (const r of rows)
    if (!toBool(r.builtin) && r.yaml) out.push(view(orgId, parseCustomRule(r.yaml), r, false));
  return { items: out };
}

function changed(orgId: string) {
  for (const l of ruleListeners) l(orgId);
}

export async function createRule(ctx: Ctx, input: { orgId: string; yaml: string; enabled: boolean }) {
  assertManage(ctx, input.orgId);
  const rule = parseCustomRule(input.yaml);
  if (builtinRules().some((r) => r.id === rule.id))
    throw new AppError('security_rule.duplicate', 409, { ruleId: rule.id }, {}, [
      { path: 'yaml', code: 'duplicate' },
    ]);
  const now = ctx.now.toISOString();
  const row: SecurityRuleTable = {
    id: uuidv7(),
    org_id: input.orgId,
    rule_id: rule.id,
    builtin: false,
    yaml: input.yaml,
    enabled: input.enabled,
    created_at: now,
    updated_at: now,
    version: 1,
    deleted_at: null,
  };
  await inTransaction(ctx, async (tx) => {
    try {
      await tx.db.insertInto('security_rule').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError('security_rule.duplicate', 409, { ruleId: rule.id }, {}, [
          { path: 'yaml', code: 'duplicate' },
        ]);
      throw err;
    }
    await recordAudit(tx, {
      orgId: input.orgId,
      action: 'security_rule.created',
      entityType: 'security_rule',
      entityId: row.id,
      after: { ruleId: rule.id, enabled: input.enabled },
    });
  });
  changed(input.orgId);
  return view(input.orgId, rule, row, false);
}

/**
 * Edits a rule of the organisation by its rule id (If-Match): a custom rule's YAML or state; for a
 * built-in rule only `enabled` (stored as an override row, version 0 before the first change).
 */
export async function updateRule(
  ctx: Ctx,
  orgId: string,
  ruleId: string,
  version: number,
  input: { yaml?: string; enabled?: boolean },
) {
  assertManage(ctx, orgId);
  const builtin = builtinRules().find((r) => r.id === ruleId);
  const row = (await rowsOf(ctx, orgId)).find((r) => r.rule_id === ruleId);
  if (!builtin && !row) throw notFound('security_rule');
  if (builtin && input.yaml !== undefined)
    throw new AppError('validation.failed', 422, {}, {}, [{ path: 'yaml', code: 'builtin_read_only' }]);
  const rule =
    input.yaml !== undefined ? parseCustomRule(input.yaml) : (builtin ?? parseCustomRule(row!.yaml!));
  if (rule.id !== ruleId)
    throw new AppError('validation.failed', 422, {}, {}, [{ path: 'yaml', code: 'rule_id_changed' }]);
  const now = ctx.now.toISOString();
  const result = await inTransaction(ctx, async (tx) => {
    if (!row) {
      if (version !== 0) throw preconditionFailed(0);
      const created: SecurityRuleTable = {
        id: uuidv7(),
        org_id: orgId,
        rule_id: ruleId,
        builtin: true,
        yaml: null,
        enabled: input.enabled ?? true,
        created_at: now,
        updated_at: now,
        version: 1,
        deleted_at: null,
      };
      try {
        await tx.db.insertInto('security_rule').values(created).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw preconditionFailed(1);
        throw err;
      }
      await recordAudit(tx, {
        orgId,
        action: 'security_rule.updated',
        entityType: 'security_rule',
        entityId: created.id,
        after: { ruleId, enabled: created.enabled },
      });
      return view(orgId, rule, created, true);
    }
    const set = {
      ...(input.yaml !== undefined ? { yaml: input.yaml } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      updated_at: now,
    };
    if (!(await updateVersioned(tx.db, 'security_rule', row.id, version, set)))
      throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId,
      action: 'security_rule.updated',
      entityType: 'security_rule',
      entityId: row.id,
      before: { enabled: toBool(row.enabled), yaml: row.yaml },
      after: { ruleId, ...input },
    });
    const fresh = await tx.db
      .selectFrom('security_rule')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    return view(orgId, rule, fresh, !!builtin);
  });
  changed(orgId);
  return result;
}

const TEST_EVENT_CAP = 200_000;

/** Runs a rule (not saved) over the organisation's stored events or over a log text. */
export async function testRule(
  ctx: Ctx,
  input: { orgId: string; yaml: string; from?: string; to?: string; log?: string },
) {
  assertManage(ctx, input.orgId);
  const rule = { ...parseCustomRule(input.yaml), enabled: true };
  const iso = (t: number) => new Date(t).toISOString();
  const shape = (ds: ReturnType<DetectionEngine['detections']>) =>
    ds.map((d) => ({
      ruleId: d.ruleId,
      group: d.group,
      first: iso(d.first),
      last: iso(d.last),
      count: d.count,
      sources: d.sources,
      users: d.users,
    }));
  if (input.log !== undefined) {
    const summary = await analyseStream(Readable.from([Buffer.from(input.log)]), 'upload', {
      rules: [rule],
      reference: ctx.now.getTime(),
      now: ctx.now.getTime(),
    });
    return {
      events: summary.lines.parsed,
      truncated: false,
      detections: summary.detections.byRule.flatMap((r) =>
        r.detections.map((d) => ({
          ruleId: r.rule,
          group: d.group,
          first: d.first,
          last: d.last,
          count: d.events,
          sources: d.sources,
          users: d.users,
        })),
      ),
    };
  }
  const engine = new DetectionEngine([rule]);
  const to = input.to ?? ctx.now.toISOString();
  const from = input.from ?? new Date(Date.parse(to) - 24 * 3600_000).toISOString();
  // Stored events newest first by pages; the engine needs them oldest first.
  const all: SecurityEvent[] = [];
  let after: [string, number] | undefined;
  let truncated = false;
  for (;;) {
    const rows = await listEvents(ctx, {
      scope: [input.orgId],
      orgId: input.orgId,
      from,
      to,
      after,
      limit: 5000,
    });
    all.push(...rows);
    if (rows.length < 5000) break;
    if (all.length >= TEST_EVENT_CAP) {
      truncated = true;
      break;
    }
    const last = rows[rows.length - 1]!;
    after = [new Date(last.time).toISOString(), last.id];
  }
  for (let i = all.length - 1; i >= 0; i--) engine.process(all[i]!);
  return { events: all.length, truncated, detections: shape(engine.detections()) };
}
