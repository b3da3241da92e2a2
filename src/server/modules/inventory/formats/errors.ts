/**
 * Why an agent's body was refused. These are machine codes: the server maps each one to an HTTP status
 * and a translated message, the parsers never produce text meant for people.
 *
 * - `empty`: no bytes, or only whitespace once decompressed.
 * - `truncated`: a zlib or gzip stream that is cut short or corrupt.
 * - `too_large`: the decompressed (or plain) body is over the cap.
 * - `unknown_format`: neither XML nor JSON, or not an agent message (no `<REQUEST>`, a JSON array…).
 * - `malformed_xml`, `malformed_json`: the text does not parse.
 * - `missing_device_id`: a well-formed message without the agent's device id.
 * - `unsupported_query`: a message Parc does not handle (OCS `SNMPQUERY`, GLPI `netdiscovery`, `esx`…).
 */
export const PAYLOAD_ERROR_REASONS = [
  'empty',
  'truncated',
  'too_large',
  'unknown_format',
  'malformed_xml',
  'malformed_json',
  'missing_device_id',
  'unsupported_query',
] as const;

export type PayloadErrorReason = (typeof PAYLOAD_ERROR_REASONS)[number];

export class PayloadError extends Error {
  /**
   * The body's format when it was known before the failure ('xml' → answer like an OCS server,
   * 'json' → answer with `glpiErrorReply`); undefined when the bytes could not even be classified.
   */
  format: 'xml' | 'json' | undefined;
  /** How the body was compressed, when the failure came after decompression (to reply the same way). */
  compression: 'zlib' | 'gzip' | 'none' | undefined;

  constructor(
    readonly reason: PayloadErrorReason,
    detail?: string,
    options?: { cause?: unknown; format?: 'xml' | 'json'; compression?: 'zlib' | 'gzip' | 'none' },
  ) {
    super(
      detail ? `${reason}: ${detail}` : reason,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'PayloadError';
    this.format = options?.format;
    this.compression = options?.compression;
  }
}

export function isPayloadError(err: unknown): err is PayloadError {
  return err instanceof PayloadError;
}
