/**
 * What inventory agents send and what they accept back: pure functions, no database.
 *
 * `parseAgentBody` turns a request body (zlib, gzip or plain; OCS XML or GLPI JSON) into an
 * `AgentMessage`, or throws a `PayloadError` whose `reason` the server maps to a status; the reply
 * builders of `replies.ts` produce the answers, each family for its protocol:
 * prolog → `ocsPrologReply`, OCS inventory → `ocsInventoryReply`, contact → `glpiContactReply`,
 * GLPI inventory → `glpiInventoryReply`, JSON refusal → `glpiErrorReply` (all GLPI answers through
 * `encodeGlpiReply`).
 */
import { type Compression, type DecodedBody, type DecodeOptions, decodeBody } from './decode.js';
import { PayloadError } from './errors.js';
import { parseGlpiJson } from './glpi-json.js';
import type { AgentMessage } from './inventory.js';
import { parseOcsXml } from './ocs-xml.js';

export {
  type Compression,
  DEFAULT_MAX_INFLATED,
  type DecodedBody,
  type DecodeOptions,
  decodeBody,
  detectCompression,
} from './decode.js';
export { isPayloadError, PAYLOAD_ERROR_REASONS, PayloadError, type PayloadErrorReason } from './errors.js';
export { parseGlpiJson } from './glpi-json.js';
export type { AgentMessage, Inventory } from './inventory.js';
export { NULL_MAC } from './normalize.js';
export { parseOcsXml } from './ocs-xml.js';
export {
  encodeGlpiReply,
  GLPI_SERVER_VERSION,
  type GlpiContactReply,
  type GlpiErrorReply,
  type GlpiInventoryReply,
  type GlpiReply,
  glpiContactReply,
  glpiErrorReply,
  glpiInventoryReply,
  ocsInventoryReply,
  ocsPrologReply,
  ocsReplyContentType,
} from './replies.js';

/**
 * Decodes and parses an agent's request body. `compression` is how the body came, so that the reply can
 * be compressed the same way. A PayloadError thrown once the body is decompressed and its format known
 * carries both (`format`: 'xml' or 'json', `compression`), to answer in the agent's protocol.
 */
export function parseAgentBody(
  body: Buffer,
  opts?: DecodeOptions,
): { message: AgentMessage; compression: Compression } {
  const decoded = decodeBody(body, opts);
  return { message: parseDecoded(decoded), compression: decoded.compression };
}

/** Parses a decoded body (the server hashes the inflated text first, to skip unchanged inventories). */
export function parseDecoded({ format, text, compression }: DecodedBody): AgentMessage {
  try {
    return format === 'xml' ? parseOcsXml(text) : parseGlpiJson(text);
  } catch (err) {
    if (err instanceof PayloadError) {
      err.format ??= format;
      err.compression ??= compression;
    }
    throw err;
  }
}
