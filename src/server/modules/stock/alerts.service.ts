import { type Ctx, systemPrincipal } from '../../context.js';
import type { EventHandler } from '../../jobs/worker.js';
import { type MailLocale, type MailService, registerMailTemplates, renderMail } from '../mail/index.js';
import { contactsOf, getOrganisation } from '../orgs/index.js';
import * as catalog from './catalog.repo.js';
import * as levels from './levels.repo.js';
import { REORDER_EVENT } from './movements.service.js';
import { STOCK_MAIL_TEMPLATES } from './stock.templates.js';

registerMailTemplates(STOCK_MAIL_TEMPLATES);

export type StockAlertDeps = { mail: MailService; baseUrl: string };

/**
 * Tells the organisation's supervisors that a level fell to or below its minimum: one mail per
 * language (each person's, else the organisation's), queued once per event whatever the retries.
 * Returns how many mails were queued.
 */
export async function notifyReorder(
  ctx: Ctx,
  deps: StockAlertDeps,
  event: { id: string; orgId: string | null; payload: Record<string, unknown> },
): Promise<number> {
  const { articleId, stockLocationId } = event.payload as { articleId?: string; stockLocationId?: string };
  if (!deps.mail.enabled || !event.orgId || !articleId || !stockLocationId) return 0;
  const article = await catalog.findArticle(ctx, articleId);
  const location = await catalog.findStockLocation(ctx, stockLocationId);
  const level = await levels.findLevel(ctx, { articleId, stockLocationId });
  if (!article || !location || !level) return 0;
  const org = await getOrganisation({ ...ctx, actor: systemPrincipal('stock') }, event.orgId);
  const supervisors = await contactsOf(ctx, { orgId: event.orgId, roles: ['supervisor'] });
  const byLocale = new Map<MailLocale, string[]>();
  for (const p of supervisors) {
    const locale: MailLocale = (p.locale ?? org.locale) === 'en' ? 'en' : 'fr';
    byLocale.set(locale, [...(byLocale.get(locale) ?? []), p.email]);
  }
  let queued = 0;
  for (const [locale, emails] of byLocale) {
    const rendered = await renderMail(ctx, {
      orgId: event.orgId,
      key: 'stock.reorder_needed',
      locale,
      vars: {
        articleName: article.name,
        reference: article.reference,
        locationName: location.name,
        // The figures of the event: what triggered the alert, even if the level moved since.
        available: Number(event.payload.available ?? level.quantity - level.reserved),
        minQuantity: Number(event.payload.minQuantity ?? level.min_quantity),
        unit: article.unit,
        leadTimeDays: article.lead_time_days,
        orgName: org.name,
        link: `${deps.baseUrl}/stock?orgId=${event.orgId}&toReorder=true`,
      },
    });
    const mail = await deps.mail.queueMail(ctx, {
      orgId: event.orgId,
      dedupeKey: `stock.reorder:${event.id}:${locale}`,
      to: emails.join(', '),
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if (mail) queued++;
  }
  return queued;
}

/** The outbox handlers of the stock module, for the job registry. */
export function stockHandlers(deps: StockAlertDeps): Record<string, EventHandler[]> {
  const reorder: EventHandler = async (ctx, event) => {
    const queued = await notifyReorder(ctx, deps, event);
    if (queued > 0)
      ctx.log.info(
        { event: event.type, article: event.payload.articleId, queued },
        'supervisors told to reorder',
      );
  };
  return { [REORDER_EVENT]: [reorder] };
}
