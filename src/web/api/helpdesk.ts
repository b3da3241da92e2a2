import { z } from 'zod';
import { type ZInterventionNote, ZTicketAttachment } from '../../shared/schemas/channels.js';
import { zPage } from '../../shared/schemas/common.js';
import {
  type TICKET_STATUSES,
  type WAITING_FOR,
  type ZHelpdeskSettings,
  ZHelpdeskSettingsRead,
  ZTicket,
  ZTicketCategory,
  type ZTicketCategoryCreate,
  type ZTicketCategoryUpdate,
  type ZTicketCreate,
  ZTicketEvent,
  ZTicketKbDraft,
  ZTicketSla,
  ZTicketTask,
  type ZTicketUpdate,
} from '../../shared/schemas/helpdesk.js';
import { buildUrl, request, requestRaw, toApiError } from './client.js';

export type Ticket = z.infer<typeof ZTicket>;
export type TicketCreate = z.input<typeof ZTicketCreate>;
export type TicketUpdate = z.input<typeof ZTicketUpdate>;
export type TicketEvent = z.infer<typeof ZTicketEvent>;
export type TicketTask = z.infer<typeof ZTicketTask>;
export type TicketCategory = z.infer<typeof ZTicketCategory>;
export type TicketCategoryCreate = z.input<typeof ZTicketCategoryCreate>;
export type TicketCategoryUpdate = z.input<typeof ZTicketCategoryUpdate>;
export type HelpdeskSettings = z.infer<typeof ZHelpdeskSettings>;
export type HelpdeskSettingsRead = z.infer<typeof ZHelpdeskSettingsRead>;
export type TicketKbDraft = z.infer<typeof ZTicketKbDraft>;
export type InterventionNote = z.input<typeof ZInterventionNote>;
export type TicketAttachment = z.infer<typeof ZTicketAttachment>;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type WaitingFor = (typeof WAITING_FOR)[number];

export type TicketListQuery = {
  view?: 'queue' | 'requested' | 'all';
  orgId?: string | undefined;
  status?: TicketStatus | undefined;
  open?: boolean | undefined;
  assigneeId?: string | undefined;
  groupId?: string | undefined;
  categoryId?: string | undefined;
  priority?: number | undefined;
  q?: string | undefined;
  limit?: number;
  cursor?: string | undefined;
};

const ZTicketPage = zPage(ZTicket);
const ZEventPage = zPage(ZTicketEvent);
const ZTasks = z.object({ items: z.array(ZTicketTask) });
const ZCategories = z.object({ items: z.array(ZTicketCategory) });
const ZTickets = z.object({ items: z.array(ZTicket) });
const ZAttachments = z.object({ items: z.array(ZTicketAttachment) });
const ZFollowupResult = z.object({ ticket: ZTicket, reopened: z.boolean() });
const ZRelated = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      title: z.string(),
      status: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export type RelatedTicket = z.infer<typeof ZRelated>['items'][number];

const id = (value: string) => encodeURIComponent(value);

/** Versioned records take `If-Match: "v<version>"`; the version comes with every ticket read. */
export const ifMatch = (record: { version: number }): string => `"v${record.version}"`;

// Tickets
export async function listTickets(query: TicketListQuery) {
  const { open, ...rest } = query;
  return (
    await request('GET', '/tickets', {
      query: { limit: 50, ...rest, open: open === undefined ? undefined : String(open) },
      schema: ZTicketPage,
    })
  ).data;
}
export async function getTicket(ticketId: string): Promise<Ticket> {
  return (await request('GET', `/tickets/${id(ticketId)}`, { schema: ZTicket })).data;
}
export async function getTicketSla(ticketId: string): Promise<z.infer<typeof ZTicketSla>> {
  return (await request('GET', `/tickets/${id(ticketId)}/sla`, { schema: ZTicketSla })).data;
}
export async function createTicket(input: TicketCreate): Promise<Ticket> {
  return (await request('POST', '/tickets', { body: input, schema: ZTicket })).data;
}
export async function updateTicket(ticket: Ticket, input: TicketUpdate): Promise<Ticket> {
  return (
    await request('PATCH', `/tickets/${id(ticket.id)}`, {
      body: input,
      ifMatch: ifMatch(ticket),
      schema: ZTicket,
    })
  ).data;
}

async function act(ticket: Ticket, action: string, body: unknown): Promise<Ticket> {
  return (
    await request('POST', `/tickets/${id(ticket.id)}/${action}`, {
      body,
      ifMatch: ifMatch(ticket),
      schema: ZTicket,
    })
  ).data;
}
export const changeTicketStatus = (
  ticket: Ticket,
  input: { status: TicketStatus; waitingFor?: WaitingFor; waitingUntil?: string; note?: string },
) => act(ticket, 'status', input);
export const assignTicket = (ticket: Ticket, input: { assigneeId: string | null; groupId: string | null }) =>
  act(ticket, 'assign', input);
export const escalateTicket = (ticket: Ticket, input: { groupId: string; reason: string }) =>
  act(ticket, 'escalate', input);
/** Plans an intervention (the requester is mailed the date), or cancels it with null. */
export const planTicket = (ticket: Ticket, input: { at: string | null; note: string }) =>
  act(ticket, 'plan', input);
/** The solution (technicians), and the plain-language note the requester is mailed, if written. */
export const solveTicket = (ticket: Ticket, solution: string, note?: InterventionNote) =>
  act(ticket, 'solve', { solution, ...(note && { note }) });
export const reopenTicket = (ticket: Ticket, reason: string) => act(ticket, 'reopen', { reason });
export const mergeTicket = (ticket: Ticket, intoId: string) => act(ticket, 'merge', { intoId });

export async function rateTicket(ticketId: string, input: { rating: number; comment: string }) {
  return (await request('POST', `/tickets/${id(ticketId)}/rating`, { body: input, schema: ZTicket })).data;
}

export async function listTicketEvents(ticketId: string, cursor?: string) {
  return (
    await request('GET', `/tickets/${id(ticketId)}/events`, {
      query: { limit: 100, cursor },
      schema: ZEventPage,
    })
  ).data;
}
export async function addFollowup(ticketId: string, input: { body: string; public: boolean }) {
  return (
    await request('POST', `/tickets/${id(ticketId)}/followups`, { body: input, schema: ZFollowupResult })
  ).data;
}
export async function relatedTickets(ticketId: string): Promise<RelatedTicket[]> {
  return (await request('GET', `/tickets/${id(ticketId)}/related`, { schema: ZRelated })).data.items;
}
export async function ticketsOfAsset(assetId: string): Promise<Ticket[]> {
  return (await request('GET', `/assets/${id(assetId)}/tickets`, { schema: ZTickets })).data.items;
}

/** A procedure pre-filled from the ticket, not saved: the KB editor's draft (kb.manage). */
export async function getTicketKbDraft(ticketId: string): Promise<TicketKbDraft> {
  return (await request('GET', `/tickets/${id(ticketId)}/kb-draft`, { schema: ZTicketKbDraft })).data;
}
/** Where the intervention note of a resolved ticket is read as a PDF (its requester or staff). */
export const interventionNotePdfUrl = (ticketId: string): string =>
  buildUrl(`/tickets/${id(ticketId)}/intervention-note.pdf`);

// Attachments
export async function listTicketAttachments(ticketId: string): Promise<TicketAttachment[]> {
  return (await request('GET', `/tickets/${id(ticketId)}/attachments`, { schema: ZAttachments })).data.items;
}
/** Sends the file as the raw body (its own Content-Type), its name in ?filename=. */
export async function uploadTicketAttachment(ticketId: string, file: File): Promise<TicketAttachment> {
  const response = await requestRaw('POST', `/tickets/${id(ticketId)}/attachments`, {
    query: { filename: file.name },
    body: file,
    contentType: file.type || 'application/octet-stream',
    accept: 'application/json',
  });
  if (!response.ok) throw await toApiError(response);
  return ZTicketAttachment.parse(await response.json());
}
/** Where an attachment is downloaded (always as a file, never shown in Parc's origin). */
export const ticketAttachmentUrl = (ticketId: string, attachmentId: string): string =>
  buildUrl(`/tickets/${id(ticketId)}/attachments/${id(attachmentId)}`);

// Tasks
export async function listTasks(ticketId: string): Promise<TicketTask[]> {
  return (await request('GET', `/tickets/${id(ticketId)}/tasks`, { schema: ZTasks })).data.items;
}
export async function createTask(
  ticketId: string,
  input: { description: string; minutes?: number; assigneeId?: string | null; done?: boolean },
): Promise<TicketTask> {
  return (await request('POST', `/tickets/${id(ticketId)}/tasks`, { body: input, schema: ZTicketTask })).data;
}
export async function updateTask(
  task: TicketTask,
  input: { description?: string; minutes?: number; assigneeId?: string | null; done?: boolean },
): Promise<TicketTask> {
  return (
    await request('PATCH', `/tasks/${id(task.id)}`, {
      body: input,
      ifMatch: ifMatch(task),
      schema: ZTicketTask,
    })
  ).data;
}
export async function deleteTask(task: TicketTask): Promise<void> {
  await request('DELETE', `/tasks/${id(task.id)}`, { ifMatch: ifMatch(task) });
}

// Configuration
export async function listCategories(): Promise<TicketCategory[]> {
  return (await request('GET', '/ticket-categories', { schema: ZCategories })).data.items;
}
export async function createCategory(input: TicketCategoryCreate): Promise<TicketCategory> {
  return (await request('POST', '/ticket-categories', { body: input, schema: ZTicketCategory })).data;
}
export async function updateCategory(
  category: TicketCategory,
  input: TicketCategoryUpdate,
): Promise<TicketCategory> {
  return (
    await request('PATCH', `/ticket-categories/${id(category.id)}`, {
      body: input,
      ifMatch: ifMatch(category),
      schema: ZTicketCategory,
    })
  ).data;
}
export async function getHelpdeskSettings(orgId: string): Promise<HelpdeskSettingsRead> {
  return (await request('GET', `/helpdesk/settings/${id(orgId)}`, { schema: ZHelpdeskSettingsRead })).data;
}
/** Saves an organisation's settings over the version read (0 before the first save). */
export async function saveHelpdeskSettings(
  orgId: string,
  version: number,
  input: HelpdeskSettings,
): Promise<HelpdeskSettingsRead> {
  return (
    await request('PUT', `/helpdesk/settings/${id(orgId)}`, {
      body: input,
      ifMatch: ifMatch({ version }),
      schema: ZHelpdeskSettingsRead,
    })
  ).data;
}
