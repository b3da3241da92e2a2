import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AddressObject, AttachmentStream, HeaderValue } from 'mailparser';

export type MailAddress = { address: string; name: string };

export type ParsedAttachment = {
  filename: string;
  contentType: string;
  size: number;
  sha256: string | null;
  /** Null when the attachment was dropped (over the size cap). */
  content: Buffer | null;
  dropped: boolean;
};

export type ParsedMail = {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  date: Date | null;
  from: MailAddress | null;
  to: MailAddress[];
  /** Lower-case header names; each value as text (structured values rendered back). */
  headers: Map<string, string>;
  contentType: string;
  text: string;
  html: string | null;
  attachments: ParsedAttachment[];
  /** The raw message, kept when it is no larger than the attachment cap. */
  raw: Buffer | null;
  rawSize: number;
  /** What looked wrong while reading it (malformed MIME, parser errors): logged by the caller. */
  problems: string[];
};

export type ParseOptions = {
  /** Attachments above this size are dropped (counted, not kept). */
  maxAttachmentBytes: number;
  /** Text bodies above this many characters are cut. */
  maxTextChars?: number;
};

function headerText(value: HeaderValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => headerText(v as HeaderValue)).join(', ');
  if (typeof value === 'object' && 'text' in value) return (value as AddressObject).text;
  if (typeof value === 'object' && 'value' in value) {
    const params = Object.entries(value.params ?? {})
      .map(([k, v]) => `; ${k}=${v}`)
      .join('');
    return `${value.value}${params}`;
  }
  return String(value);
}

function addresses(value: HeaderValue | undefined): MailAddress[] {
  if (!value || typeof value !== 'object' || value instanceof Date) return [];
  const objects = (Array.isArray(value) ? value : [value]) as unknown[];
  const out: MailAddress[] = [];
  for (const o of objects) {
    const list = (o as AddressObject | undefined)?.value;
    if (!Array.isArray(list)) continue;
    for (const a of list) {
      for (const member of a.group ?? [a]) {
        if (member.address) out.push({ address: member.address.trim(), name: (member.name ?? '').trim() });
      }
    }
  }
  return out;
}

/** `<id@host>` → `id@host`, trimmed; null when empty. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  const id = (value ?? '').trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return id.length > 0 && id.length <= 500 ? id : null;
}

function messageIds(value: HeaderValue | undefined): string[] {
  const text = headerText(value);
  const found = text.match(/<[^<>\s]+>/g) ?? text.split(/[\s,]+/);
  return found.map((v) => normalizeMessageId(v)).filter((v): v is string => v !== null);
}

/** Keeps the last bytes that went through, and (up to a cap) the whole message. */
class Tap extends Transform {
  size = 0;
  tail = Buffer.alloc(0);
  private kept: Buffer[] | null = [];
  constructor(private readonly keepUpTo: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    this.tail = Buffer.concat([this.tail, chunk]).subarray(-8192);
    if (this.kept) {
      if (this.size <= this.keepUpTo) this.kept.push(chunk);
      else this.kept = null;
    }
    done(null, chunk);
  }
  raw(): Buffer | null {
    return this.kept ? Buffer.concat(this.kept) : null;
  }
}

/**
 * Parses one message from a stream (IMAP download) or a buffer, without holding attachments beyond
 * the cap in memory: each attachment is counted as it streams and dropped past `maxAttachmentBytes`.
 * Never throws on malformed content: the parser's complaints land in `problems` with what could be
 * read. Only a failing source (the connection) rejects.
 */
export async function parseMail(source: Readable | Buffer, opts: ParseOptions): Promise<ParsedMail> {
  const maxText = opts.maxTextChars ?? 100_000;
  const { MailParser } = await import('mailparser');
  const tap = new Tap(opts.maxAttachmentBytes);
  const parser = new MailParser({ skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true });
  const problems: string[] = [];
  let headers = new Map<string, HeaderValue>();
  let text = '';
  let html: string | null = null;
  const attachments: ParsedAttachment[] = [];
  const pending: Array<Promise<void>> = [];

  parser.on('headers', (h: Map<string, HeaderValue>) => {
    headers = h;
  });
  parser.on('data', (part: AttachmentStream | { type: 'text'; text?: string; html?: string | boolean }) => {
    if (part.type === 'text') {
      text = part.text ?? '';
      html = typeof part.html === 'string' ? part.html : null;
      return;
    }
    const att = part;
    pending.push(
      new Promise<void>((resolve) => {
        const hash = createHash('sha256');
        const chunks: Buffer[] = [];
        let size = 0;
        let dropped = false;
        att.content.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (dropped) return;
          if (size > opts.maxAttachmentBytes) {
            dropped = true;
            chunks.length = 0;
            return;
          }
          chunks.push(chunk);
          hash.update(chunk);
        });
        const finish = () => {
          attachments.push({
            filename: (att.filename ?? '').trim() || 'attachment',
            contentType: att.contentType || 'application/octet-stream',
            size,
            sha256: dropped ? null : hash.digest('hex'),
            content: dropped ? null : Buffer.concat(chunks),
            dropped,
          });
          att.release?.();
          resolve();
        };
        att.content.once('end', finish);
        att.content.once('error', (err: Error) => {
          problems.push(`attachment ${att.filename ?? ''}: ${err.message}`);
          finish();
        });
      }),
    );
  });

  const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
  let sourceFailed: Error | null = null;
  input.once('error', (err: Error) => {
    sourceFailed = err;
  });
  try {
    await pipeline(input, tap, parser);
  } catch (err) {
    if (sourceFailed) throw sourceFailed;
    problems.push(`parser: ${(err as Error).message}`);
  }
  await Promise.all(pending);

  const contentType = headerText(headers.get('content-type')).toLowerCase();
  const ctValue = headers.get('content-type') as
    | { value?: string; params?: Record<string, string> }
    | undefined;
  if (contentType.startsWith('multipart/')) {
    const boundary = ctValue?.params?.boundary;
    if (!boundary) problems.push('multipart message without a boundary');
    else if (!tap.tail.includes(Buffer.from(`--${boundary}--`))) {
      problems.push('multipart message not closed (truncated or malformed)');
    }
  }
  if (headers.size === 0) problems.push('no header could be read');

  const from = addresses(headers.get('from'))[0] ?? null;
  if (!from && headers.size > 0) problems.push('no readable sender address');
  const flat = new Map<string, string>();
  for (const [k, v] of headers) flat.set(k.toLowerCase(), headerText(v));
  const subject = headerText(headers.get('subject')).replace(/\s+/g, ' ').trim();
  const date = headers.get('date');
  if (text.length > maxText) {
    text = `${text.slice(0, maxText)}\n[…]`;
    problems.push(`text body cut at ${maxText} characters`);
  }
  return {
    messageId: normalizeMessageId(headerText(headers.get('message-id'))),
    inReplyTo: messageIds(headers.get('in-reply-to'))[0] ?? null,
    references: messageIds(headers.get('references')),
    subject,
    date: date instanceof Date && !Number.isNaN(date.getTime()) ? date : null,
    from,
    to: addresses(headers.get('to')),
    headers: flat,
    contentType: contentType.split(';')[0]?.trim() || 'text/plain',
    text: text.replace(/\r\n/g, '\n').trim(),
    html,
    attachments,
    raw: tap.raw(),
    rawSize: tap.size,
    problems,
  };
}

/**
 * Why a message was written by a machine and must not open a ticket (auto-replies, vacation notices,
 * bounces, delivery reports, bulk mail), or null for a message from a person.
 */
export function automaticReason(mail: Pick<ParsedMail, 'headers' | 'from' | 'contentType'>): string | null {
  const h = mail.headers;
  const autoSubmitted = (h.get('auto-submitted') ?? '').trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply']) {
    if (h.has(name)) return `${name} header`;
  }
  const precedence = (h.get('precedence') ?? '').trim().toLowerCase();
  if (['bulk', 'auto_reply', 'junk', 'list'].includes(precedence)) return `Precedence: ${precedence}`;
  if (mail.contentType === 'multipart/report') return 'delivery report (multipart/report)';
  if (h.has('x-failed-recipients')) return 'bounce (X-Failed-Recipients)';
  const local = (mail.from?.address ?? '').split('@')[0]?.toLowerCase() ?? '';
  if (['mailer-daemon', 'postmaster', 'mail-daemon'].includes(local)) return `bounce (from ${local})`;
  const returnPath = (h.get('return-path') ?? '').trim();
  if (h.has('return-path') && (returnPath === '' || returnPath === '<>')) return 'bounce (empty Return-Path)';
  return null;
}
