import { can } from '../../../shared/policy.js';
import type { TMailTemplate } from '../../../shared/schemas/channels.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import type { MailTemplateTable } from './mail.tables.js';
import {
  type MailLocale,
  type MailTemplateText,
  mailTemplateDefinition,
  mailTemplateKeys,
  renderMailText,
  renderTemplate,
  type TemplateVars,
} from './templates.js';

async function overrideOf(
  ctx: Ctx,
  orgId: string,
  key: string,
  locale: MailLocale,
): Promise<MailTemplateTable | undefined> {
  return ctx.db
    .selectFrom('mail_template')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .where('locale', '=', locale)
    .executeTakeFirst();
}

/**
 * The mail of `key` in `locale` for an organisation: its own wording when it has one, Parc's default
 * otherwise, rendered with `vars` (HTML-escaped in the HTML body). No permission check: for jobs.
 */
export async function renderMail(
  ctx: Ctx,
  input: { orgId: string | null; key: string; locale: MailLocale; vars: TemplateVars },
): Promise<MailTemplateText> {
  const def = mailTemplateDefinition(input.key);
  if (!def) throw new Error(`unknown mail template ${input.key}`);
  const own = input.orgId ? await overrideOf(ctx, input.orgId, input.key, input.locale) : undefined;
  const text: MailTemplateText = own
    ? { subject: own.subject, text: own.text_body, html: own.html_body }
    : def[input.locale];
  return renderMailText(text, input.vars);
}

function assertConfigure(ctx: Ctx, orgId: string): void {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'helpdesk.configure', { orgId })) throw forbidden();
}

function definitionOf(key: string) {
  const def = mailTemplateDefinition(key);
  if (!def) throw notFound('mail_template');
  return def;
}

function toTemplate(
  orgId: string,
  key: string,
  locale: MailLocale,
  own: MailTemplateTable | undefined,
): TMailTemplate {
  const def = definitionOf(key);
  const text = own ? { subject: own.subject, text: own.text_body, html: own.html_body } : def[locale];
  return {
    orgId,
    key,
    locale,
    description: def.description,
    variables: def.variables,
    ...text,
    custom: !!own,
    version: own?.version ?? 0,
  };
}

export async function listMailTemplates(ctx: Ctx, orgId: string): Promise<TMailTemplate[]> {
  assertConfigure(ctx, orgId);
  const own = await ctx.db.selectFrom('mail_template').selectAll().where('org_id', '=', orgId).execute();
  const out: TMailTemplate[] = [];
  for (const key of mailTemplateKeys()) {
    for (const locale of ['fr', 'en'] as const) {
      out.push(
        toTemplate(
          orgId,
          key,
          locale,
          own.find((r) => r.key === key && r.locale === locale),
        ),
      );
    }
  }
  return out;
}

export async function getMailTemplate(
  ctx: Ctx,
  orgId: string,
  key: string,
  locale: MailLocale,
): Promise<TMailTemplate> {
  assertConfigure(ctx, orgId);
  definitionOf(key);
  return toTemplate(orgId, key, locale, await overrideOf(ctx, orgId, key, locale));
}

/** Refuses a template whose sections are not closed: it would send `{{#…}}` to people. */
function checkSyntax(input: { subject: string; text: string; html: string | null }): void {
  const errors: Array<{ path: string; code: string }> = [];
  for (const field of ['subject', 'text', 'html'] as const) {
    const value = input[field];
    if (value === null) continue;
    const rendered = renderTemplate(value, {});
    if (/\{\{\s*[#^/]/.test(rendered)) errors.push({ path: field, code: 'unclosed_section' });
  }
  if (errors.length > 0) throw new AppError('validation.failed', 422, {}, {}, errors);
}

/** Saves an organisation's own wording (version 0: it had none yet). */
export async function putMailTemplate(
  ctx: Ctx,
  orgId: string,
  key: string,
  locale: MailLocale,
  expectedVersion: number,
  input: { subject: string; text: string; html: string | null },
): Promise<TMailTemplate> {
  assertConfigure(ctx, orgId);
  definitionOf(key);
  checkSyntax(input);
  return inTransaction(ctx, async (tx) => {
    const before = await overrideOf(tx, orgId, key, locale);
    const current = before?.version ?? 0;
    if (current !== expectedVersion) throw preconditionFailed(current);
    const now = tx.now.toISOString();
    const row: MailTemplateTable = {
      org_id: orgId,
      key,
      locale,
      subject: input.subject,
      text_body: input.text,
      html_body: input.html,
      updated_at: now,
      version: current + 1,
    };
    if (before) {
      const r = await tx.db
        .updateTable('mail_template')
        .set({
          subject: row.subject,
          text_body: row.text_body,
          html_body: row.html_body,
          updated_at: now,
          version: row.version,
        })
        .where('org_id', '=', orgId)
        .where('key', '=', key)
        .where('locale', '=', locale)
        .where('version', '=', current)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw preconditionFailed(current);
    } else {
      await tx.db.insertInto('mail_template').values(row).execute();
    }
    await recordAudit(tx, {
      orgId,
      action: 'mail_template.updated',
      entityType: 'mail_template',
      entityId: `${orgId}:${key}:${locale}`,
      before: before ? toTemplate(orgId, key, locale, before) : null,
      after: toTemplate(orgId, key, locale, row),
    });
    return toTemplate(orgId, key, locale, row);
  });
}

/** Back to Parc's default wording. */
export async function resetMailTemplate(
  ctx: Ctx,
  orgId: string,
  key: string,
  locale: MailLocale,
): Promise<void> {
  assertConfigure(ctx, orgId);
  definitionOf(key);
  await inTransaction(ctx, async (tx) => {
    const before = await overrideOf(tx, orgId, key, locale);
    if (!before) return;
    await tx.db
      .deleteFrom('mail_template')
      .where('org_id', '=', orgId)
      .where('key', '=', key)
      .where('locale', '=', locale)
      .execute();
    await recordAudit(tx, {
      orgId,
      action: 'mail_template.reset',
      entityType: 'mail_template',
      entityId: `${orgId}:${key}:${locale}`,
      before: toTemplate(orgId, key, locale, before),
    });
  });
}
