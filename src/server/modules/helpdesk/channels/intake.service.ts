import { createHash } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { type Ctx, inTransaction, type Principal, systemPrincipal } from '../../../context.js';
import { toBool } from '../../../db/values.js';
import { AppError } from '../../../http/errors.js';
import {
  automaticReason,
  type ImapFolder,
  type ImapMessageRef,
  type ParsedMail,
  parseMail,
  withImapFolder,
} from '../../mail/index.js';
import {
  createUser,
  findUserIdByEmail,
  getOrganisation,
  loadPrincipal,
  membersOf,
  setUserRoles,
} from '../../orgs/index.js';
import type { TicketTable } from '../helpdesk.tables.js';
import * as tickets from '../tickets.repo.js';
import { addFollowup, createTicket } from '../tickets.service.js';
import * as repo from './channels.repo.js';
import type { HelpdeskMailboxTable, HelpdeskMailMessageTable } from './channels.tables.js';

export const MAIL_INTAKE_JOB = 'helpdesk.mail_intake';

export type IntakeOptions = {
  /** Attachments above this size are dropped, with a note on the ticket. */
  maxAttachmentBytes: number;
  /** Messages read per mailbox and run (the next run takes the rest). */
  batchSize?: number;
  /** How long a poller holds a mailbox before another instance may take it. */
  leaseMs?: number;
  /**
   * Called once a message's transaction has committed, before it is filed and the high-water mark
   * moves: what a crash at the worst moment looks like (tests).
   */
  afterMessage?: (uid: number) => void | Promise<void>;
};

export type Outcome = 'ticket' | 'followup' | 'ignored' | 'refused' | 'duplicate';

export type PollSummary = {
  orgId: string;
  skipped?: 'disabled' | 'busy' | 'no_password';
  fetched: number;
  outcomes: Record<Outcome, number>;
  error?: string;
};

type Lang = 'fr' | 'en';

const TEXT = {
  noSubject: { fr: '(sans objet)', en: '(no subject)' },
  empty: { fr: '(message vide)', en: '(empty message)' },
  dropped: {
    fr: (name: string, size: string, max: string) =>
      `Pièce jointe non conservée : « ${name} » (${size}), au-delà de la limite de ${max}. Le message d’origine reste dans la boîte aux lettres.`,
    en: (name: string, size: string, max: string) =>
      `Attachment not kept: "${name}" (${size}), over the ${max} limit. The original message stays in the mailbox.`,
  },
  malformed: {
    fr: (problems: string, kept: boolean) =>
      `Message mal formé (${problems}) : lu au mieux. ${kept ? 'L’original est joint (message.eml).' : 'L’original reste dans la boîte aux lettres.'}`,
    en: (problems: string, kept: boolean) =>
      `Malformed message (${problems}): read as well as possible. ${kept ? 'The original is attached (message.eml).' : 'The original stays in the mailbox.'}`,
  },
  closedFollowup: {
    fr: (ref: string) => `Suite du ticket ${ref}, clos.`,
    en: (ref: string) => `Follow-up of ticket ${ref}, which is closed.`,
  },
};

function humanSize(bytes: number, lang: Lang): string {
  const mb = bytes / 1_048_576;
  const unit = lang === 'fr' ? 'Mo' : 'MB';
  return mb >= 1
    ? `${mb.toFixed(1).replace('.', lang === 'fr' ? ',' : '.')} ${unit}`
    : `${Math.ceil(bytes / 1024)} ${lang === 'fr' ? 'ko' : 'KB'}`;
}

/** The reply without the message it quotes (the ticket already holds that). */
export function stripQuoted(text: string): string {
  const lines = text.split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const next = lines[i + 1]?.trim() ?? '';
    const wrote = /(a écrit|wrote)\s*:$/i;
    if (/^(Le|On)\s/i.test(line) && (wrote.test(line) || wrote.test(next))) {
      cut = i;
      break;
    }
    if (/^-{2,}\s*(original message|message d.origine)\s*-{2,}/i.test(line)) {
      cut = i;
      break;
    }
    if (
      /^(De|From)\s?:/i.test(line) &&
      lines.slice(i + 1, i + 4).some((l) => /^(Envoyé|Sent|Date)\s?:/i.test(l.trim()))
    ) {
      cut = i;
      break;
    }
  }
  const kept = lines.slice(0, cut);
  while (
    kept.length > 0 &&
    (kept[kept.length - 1]!.trim() === '' || kept[kept.length - 1]!.startsWith('>'))
  ) {
    kept.pop();
  }
  const body = kept.join('\n').trim();
  return body.length > 0 ? body : text.trim();
}

/** Replies carry a reference such as [T-000123] in their subject. */
const REFERENCE = /\[\s*(T-\d{6,})\s*\]/i;

function cleanTitle(subject: string): string {
  return subject
    .replace(REFERENCE, '')
    .replace(/^\s*((re|tr|fw|fwd|aw|wg)\s*:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

type Sender = { principal: Principal } | { refused: string };

/** The sender as a person of the organisation: known, created as a requester, or refused by the rule. */
async function resolveSender(
  tx: Ctx,
  orgId: string,
  from: { address: string; name: string },
  rule: string,
): Promise<Sender> {
  const system = { ...tx, actor: systemPrincipal('mail intake') };
  const email = from.address.toLowerCase();
  let userId = await findUserIdByEmail(tx, email);
  const member = userId ? (await membersOf(tx, orgId, [userId])).has(userId) : false;
  if (!member) {
    if (rule !== 'create_requester') return { refused: `unknown sender ${email} (rule: refuse)` };
    if (userId) await setUserRoles(system, userId, orgId, ['requester']);
    else {
      // A requester without a password anyone knows: they set one through "password forgotten".
      const created = await createUser(
        system,
        {
          email,
          displayName: from.name || email.split('@')[0]!,
          locale: null,
          orgId,
          roles: ['requester'],
        },
        { mustChangePassword: true },
      );
      userId = created.user.id;
    }
    tx.log.info({ orgId, email }, 'mail intake: unknown sender created as a requester');
  }
  const principal = await loadPrincipal(tx, userId!, {
    kind: 'session',
    sessionId: 'mail',
    csrfToken: '',
    mustChangePassword: false,
    totpEnabled: false,
  });
  if (!principal) return { refused: `sender account ${email} is disabled` };
  return { principal };
}

async function followMerges(tx: Ctx, row: TicketTable | undefined): Promise<TicketTable | undefined> {
  let current = row;
  for (let i = 0; i < 5 && current?.merged_into_id; i++) {
    current = (await tickets.findTicket(tx, current.merged_into_id)) ?? current;
  }
  return current;
}

/** The ticket a message answers: by [T-…] in its subject, else by the notifications it replies to. */
async function ticketOf(tx: Ctx, orgId: string, mail: ParsedMail): Promise<TicketTable | undefined> {
  const ref = REFERENCE.exec(mail.subject)?.[1];
  let row = ref ? await repo.findTicketByReference(tx, orgId, ref.toUpperCase()) : undefined;
  if (!row) {
    const ids = [mail.inReplyTo, ...mail.references].filter((v): v is string => !!v);
    const id = await repo.ticketOfMessageIds(tx, orgId, ids);
    if (id) row = await tickets.findTicket(tx, id);
  }
  return followMerges(tx, row);
}

type Handling = {
  box: HelpdeskMailboxTable;
  folder: ImapFolder;
  lang: Lang;
  opts: IntakeOptions;
};

async function record(ctx: Ctx, row: HelpdeskMailMessageTable): Promise<boolean> {
  return inTransaction(ctx, (tx) => repo.claimMessage(tx, row));
}

/**
 * One message: parsed, then in one transaction its record (the guard against a second ticket) and
 * its ticket or follow-up, with the attachments kept. A refusal is recorded too, with its reason.
 */
async function handleMessage(ctx: Ctx, h: Handling, ref: ImapMessageRef): Promise<Outcome> {
  const orgId = h.box.org_id;
  const mail = await parseMail(await h.folder.download(ref.uid), {
    maxAttachmentBytes: h.opts.maxAttachmentBytes,
  });
  const key = mail.messageId ? `mid:${mail.messageId}` : `uid:${h.folder.uidValidity}:${ref.uid}`;
  const log = ctx.log.child({ orgId, uid: ref.uid, messageKey: key });
  if (mail.problems.length > 0) log.warn({ problems: mail.problems }, 'mail intake: malformed message');
  for (const a of mail.attachments.filter((x) => x.dropped)) {
    log.warn(
      { filename: a.filename, size: a.size, max: h.opts.maxAttachmentBytes },
      'mail intake: attachment dropped',
    );
  }
  if (await repo.findMessage(ctx, orgId, key)) return 'duplicate';
  const base: HelpdeskMailMessageTable = {
    org_id: orgId,
    message_key: key,
    uid_validity: h.folder.uidValidity,
    uid: ref.uid,
    from_address: mail.from?.address.toLowerCase() ?? null,
    subject: mail.subject.slice(0, 1000),
    outcome: 'ignored',
    reason: null,
    ticket_id: null,
    processed_at: ctx.now.toISOString(),
  };
  const automatic = automaticReason(mail);
  if (automatic) {
    log.info({ reason: automatic }, 'mail intake: automatic message ignored');
    return (await record(ctx, { ...base, outcome: 'ignored', reason: automatic })) ? 'ignored' : 'duplicate';
  }
  if (!mail.from) {
    log.warn('mail intake: message without a sender refused');
    return (await record(ctx, { ...base, outcome: 'refused', reason: 'no sender address' }))
      ? 'refused'
      : 'duplicate';
  }
  const from = mail.from;

  // Notes the technicians read on the ticket: what was dropped, what was malformed.
  const notes: string[] = [];
  for (const a of mail.attachments.filter((x) => x.dropped)) {
    notes.push(
      TEXT.dropped[h.lang](
        a.filename,
        humanSize(a.size, h.lang),
        humanSize(h.opts.maxAttachmentBytes, h.lang),
      ),
    );
  }
  const malformed = mail.problems.length > 0;
  if (malformed) notes.push(TEXT.malformed[h.lang](mail.problems.join('; '), mail.raw !== null));
  const withNotes = (body: string) => (notes.length > 0 ? `${body}\n\n—\n${notes.join('\n')}` : body);

  try {
    return await inTransaction(ctx, async (tx) => {
      if (!(await repo.claimMessage(tx, { ...base, outcome: 'ticket' }))) return 'duplicate';
      const finish = async (set: Partial<HelpdeskMailMessageTable>) => {
        await tx.db
          .updateTable('helpdesk_mail_message')
          .set(set)
          .where('org_id', '=', orgId)
          .where('message_key', '=', key)
          .execute();
      };
      const sender = await resolveSender(tx, orgId, from, h.box.unknown_sender);
      if ('refused' in sender) {
        log.info({ reason: sender.refused }, 'mail intake: message refused');
        await finish({ outcome: 'refused', reason: sender.refused });
        return 'refused';
      }
      const as = { ...tx, actor: sender.principal };
      const reason = malformed ? `malformed: ${mail.problems.join('; ')}`.slice(0, 2000) : null;
      let target = await ticketOf(tx, orgId, mail);
      let outcome: Outcome = 'ticket';
      if (target) {
        const body = withNotes(stripQuoted(mail.text) || TEXT.empty[h.lang]);
        try {
          await addFollowup(as, target.id, { body, public: true });
          outcome = 'followup';
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          if (err.status === 404) {
            // Someone in copy who cannot see the ticket: their reply still lands, under their address.
            const label = from.name ? `${from.name} <${from.address}>` : from.address;
            await addFollowup({ ...tx, actor: systemPrincipal(label) }, target.id, { body, public: true });
            outcome = 'followup';
          } else if (err.code === 'ticket.closed') {
            // The organisation refuses follow-ups on closed tickets: the reply opens a new one.
            notes.unshift(TEXT.closedFollowup[h.lang](target.reference));
            target = undefined;
          } else throw err;
        }
      }
      if (!target) {
        const title = cleanTitle(mail.subject).slice(0, 200) || TEXT.noSubject[h.lang];
        const created = await createTicket(as, {
          orgId,
          kind: 'incident',
          title: title.length >= 3 ? title : `${title} ${TEXT.noSubject[h.lang]}`.trim(),
          description: withNotes(mail.text || TEXT.empty[h.lang]).slice(0, 100_000),
          categoryId: null,
          requesterId: sender.principal.userId,
          locationId: null,
          assetIds: [],
          impact: 'user',
          urgency: 'medium',
          source: 'email',
          assigneeId: null,
          groupId: null,
          diagnosticPath: null,
          externalKey: `mail:${key}`.slice(0, 1000),
        });
        target = (await tickets.findTicket(tx, created.id))!;
        outcome = 'ticket';
      }
      const now = tx.now.toISOString();
      const keep = mail.attachments.filter((a) => a.content !== null);
      for (const a of keep) {
        await repo.insertAttachment(tx, {
          id: uuidv7(),
          org_id: orgId,
          ticket_id: target.id,
          message_key: key,
          filename: a.filename.slice(0, 255),
          media_type: a.contentType.slice(0, 255),
          size: a.size,
          sha256: a.sha256!,
          content: a.content!,
          created_at: now,
        });
      }
      if (malformed && mail.raw) {
        await repo.insertAttachment(tx, {
          id: uuidv7(),
          org_id: orgId,
          ticket_id: target.id,
          message_key: key,
          filename: 'message.eml',
          media_type: 'message/rfc822',
          size: mail.raw.length,
          sha256: createHash('sha256').update(mail.raw).digest('hex'),
          content: mail.raw,
          created_at: now,
        });
      }
      await finish({ outcome, ticket_id: target.id, reason });
      log.info({ outcome, ticketId: target.id, reference: target.reference }, 'mail intake: message filed');
      return outcome;
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // A rule of the helpdesk said no (validation, permissions): recorded with its reason, never retried.
    const reason = `${err.code}${err.fieldErrors.length ? ` (${err.fieldErrors.map((f) => f.path).join(', ')})` : ''}`;
    log.warn({ reason }, 'mail intake: message refused by the helpdesk');
    return (await record(ctx, { ...base, outcome: 'refused', reason })) ? 'refused' : 'duplicate';
  }
}

/**
 * Reads an organisation's mailbox: every message after the high-water mark, oldest first. Each is
 * recorded in the transaction of its ticket or follow-up, then filed (moved or flagged \Seen), and
 * only then does the high-water mark move: a crash anywhere leaves a message either not handled
 * (read again) or recorded (recognised and skipped), never handled twice. Nothing is deleted.
 */
export async function pollMailbox(ctx: Ctx, orgId: string, opts: IntakeOptions): Promise<PollSummary> {
  const summary: PollSummary = {
    orgId,
    fetched: 0,
    outcomes: { ticket: 0, followup: 0, ignored: 0, refused: 0, duplicate: 0 },
  };
  const box = await repo.findMailbox(ctx, orgId);
  if (!box || !toBool(box.enabled)) return { ...summary, skipped: 'disabled' };
  if (!box.password_sealed) return { ...summary, skipped: 'no_password' };
  const started = new Date();
  const leased = await repo.takeLease(
    ctx,
    orgId,
    started.toISOString(),
    new Date(started.getTime() + (opts.leaseMs ?? 10 * 60_000)).toISOString(),
  );
  if (!leased) return { ...summary, skipped: 'busy' };
  const log = ctx.log.child({ module: 'mail-intake', orgId });
  try {
    const org = await getOrganisation({ ...ctx, actor: systemPrincipal('mail intake') }, orgId);
    const lang: Lang = org.locale === 'en' ? 'en' : 'fr';
    const settings = {
      host: box.host,
      port: box.port,
      tls: toBool(box.tls),
      user: box.username,
      password: ctx.secrets.open(box.password_sealed),
      folder: box.folder,
    };
    await withImapFolder(settings, log, async (folder) => {
      let lastUid = box.last_uid;
      if (box.uid_validity !== folder.uidValidity) {
        if (box.uid_validity !== null) {
          log.warn(
            { before: box.uid_validity, now: folder.uidValidity },
            'mail intake: UIDVALIDITY changed, reading the folder again (handled messages are recognised)',
          );
        }
        lastUid = 0;
        await repo.setPollState(ctx, orgId, { uid_validity: folder.uidValidity, last_uid: 0 });
      }
      const refs = await folder.listAfter(lastUid, opts.batchSize ?? 100);
      summary.fetched = refs.length;
      for (const ref of refs) {
        const outcome = await handleMessage(
          { ...ctx, log, now: new Date() },
          { box, folder, lang, opts },
          ref,
        );
        summary.outcomes[outcome]++;
        await opts.afterMessage?.(ref.uid);
        try {
          await folder.markProcessed(ref.uid, box.processed_folder);
        } catch (err) {
          // Recorded already: it will be recognised if read again.
          log.warn({ uid: ref.uid, err: (err as Error).message }, 'mail intake: could not file the message');
        }
        await repo.advanceHighWater(ctx, orgId, folder.uidValidity, ref.uid);
      }
    });
    await repo.setPollState(ctx, orgId, { last_polled_at: new Date().toISOString(), last_error: null });
  } catch (err) {
    summary.error = (err as Error).message;
    log.warn({ err: summary.error }, 'mail intake: mailbox poll failed');
    await repo.setPollState(ctx, orgId, {
      last_polled_at: new Date().toISOString(),
      last_error: summary.error.slice(0, 2000),
    });
  } finally {
    await repo.setPollState(ctx, orgId, { lease_until: null });
  }
  return summary;
}

/** The intake job: every enabled mailbox in turn; one failing mailbox does not stop the others. */
export async function pollMailboxes(ctx: Ctx, opts: IntakeOptions): Promise<PollSummary[]> {
  const out: PollSummary[] = [];
  for (const { org_id } of await repo.enabledMailboxes(ctx)) out.push(await pollMailbox(ctx, org_id, opts));
  return out;
}
