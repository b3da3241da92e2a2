import type { FastifyReply } from 'fastify';

/**
 * A Content-Disposition value (RFC 6266): an ASCII `filename` every client reads, and the real name
 * in `filename*` (RFC 5987) for those that know it, so accents and quotes never break the header.
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Answers a file: its type and how the browser should take it (shown inline, or saved). The body may be
 * a stream; send() is left to the caller when headers must go before work that can still fail.
 */
export function fileReply(
  reply: FastifyReply,
  file: { type: string; filename: string; disposition?: 'inline' | 'attachment' },
): FastifyReply {
  return reply
    .type(file.type)
    .header('content-disposition', contentDisposition(file.disposition ?? 'attachment', file.filename));
}
