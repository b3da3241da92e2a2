import { z } from 'zod';
import {
  ZAlertToken,
  ZAlertTokenStatus,
  ZMailbox,
  type ZMailboxUpdate,
  ZMailMessage,
  ZMailTemplate,
  type ZMailTemplateUpdate,
  ZOutgoingMail,
} from '../../shared/schemas/channels.js';
import { zPage } from '../../shared/schemas/common.js';
import { ApiError, type ApiResult, request } from './client.js';

export type Mailbox = z.infer<typeof ZMailbox>;
export type MailboxUpdate = z.input<typeof ZMailboxUpdate>;
export type MailMessage = z.infer<typeof ZMailMessage>;
export type AlertToken = z.infer<typeof ZAlertToken>;
export type AlertTokenStatus = z.infer<typeof ZAlertTokenStatus>;
export type MailTemplate = z.infer<typeof ZMailTemplate>;
export type MailTemplateUpdate = z.input<typeof ZMailTemplateUpdate>;
export type OutgoingMail = z.infer<typeof ZOutgoingMail>;
export type MailLocale = MailTemplate['locale'];

const id = (value: string) => encodeURIComponent(value);
const ZMessages = z.object({ items: z.array(ZMailMessage) });
const ZTemplates = z.object({ items: z.array(ZMailTemplate) });
const ZOutgoingPage = zPage(ZOutgoingMail);

// E-mail intake
/** The organisation's intake mailbox, or null when none is set up yet (404). */
export async function getMailbox(orgId: string): Promise<ApiResult<Mailbox> | null> {
  try {
    return await request('GET', `/helpdesk/mailboxes/${id(orgId)}`, { schema: ZMailbox });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
/** Creates (`"v0"`) or changes the mailbox over the version read; a password left out is kept. */
export async function saveMailbox(orgId: string, version: number, input: MailboxUpdate): Promise<Mailbox> {
  return (
    await request('PUT', `/helpdesk/mailboxes/${id(orgId)}`, {
      body: input,
      ifMatch: `"v${version}"`,
      schema: ZMailbox,
    })
  ).data;
}
/** What the intake did with the latest messages, newest first. */
export async function listMailMessages(orgId: string, limit = 50): Promise<MailMessage[]> {
  return (
    await request('GET', `/helpdesk/mailboxes/${id(orgId)}/messages`, { query: { limit }, schema: ZMessages })
  ).data.items;
}

// Alertmanager
export async function getAlertTokenStatus(orgId: string): Promise<AlertTokenStatus> {
  return (await request('GET', `/helpdesk/alert-tokens/${id(orgId)}`, { schema: ZAlertTokenStatus })).data;
}
/** A new webhook token (the previous one stops working); shown once. */
export async function createAlertToken(orgId: string): Promise<AlertToken> {
  return (await request('POST', '/helpdesk/alert-tokens', { body: { orgId }, schema: ZAlertToken })).data;
}

// Mail templates
export async function listMailTemplates(orgId: string): Promise<MailTemplate[]> {
  return (await request('GET', `/mail/templates/${id(orgId)}`, { schema: ZTemplates })).data.items;
}
const templatePath = (orgId: string, key: string, locale: MailLocale) =>
  `/mail/templates/${id(orgId)}/${id(key)}/${id(locale)}`;
export async function getMailTemplate(
  orgId: string,
  key: string,
  locale: MailLocale,
): Promise<ApiResult<MailTemplate>> {
  return request('GET', templatePath(orgId, key, locale), { schema: ZMailTemplate });
}
/** The organisation's wording, over the version read (`"v0"` over Parc's default). */
export async function saveMailTemplate(
  template: MailTemplate,
  input: MailTemplateUpdate,
  etag: string | null,
): Promise<MailTemplate> {
  return (
    await request('PUT', templatePath(template.orgId, template.key, template.locale), {
      body: input,
      ifMatch: etag ?? `"v${template.version}"`,
      schema: ZMailTemplate,
    })
  ).data;
}
/** Back to Parc's default wording. */
export async function resetMailTemplate(template: MailTemplate): Promise<void> {
  await request('DELETE', templatePath(template.orgId, template.key, template.locale));
}

// Outgoing mail
export async function listOutgoingMail(orgId: string, cursor?: string) {
  return (
    await request('GET', '/mail/outgoing', { query: { orgId, limit: 50, cursor }, schema: ZOutgoingPage })
  ).data;
}
