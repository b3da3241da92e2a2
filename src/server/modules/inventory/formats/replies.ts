import { deflateSync, gzipSync } from 'node:zlib';
import type { Compression } from './decode.js';

/*
 * What the server answers, in the forms the agents accept.
 *
 * OCS protocol (OCS agents, FusionInventory, the GLPI agent's legacy PROLOG):
 * - The agents never read Content-Type on an answer: they sniff the body for `78 9C` (zlib, default
 *   level — other zlib levels are NOT recognised), then `1F 8B 08` (gzip), then plain `<…>` XML.
 *   Answer with the request's compression: an agent that sent gzip has no zlib library to read zlib.
 * - Content-Type to send: `application/x-compress-zlib` for zlib (the OCS server itself says
 *   `application/x-compressed`), `application/x-compress-gzip` for gzip, `application/xml` for plain
 *   (see `ocsReplyContentType`).
 * - PROLOG_FREQ is in hours. RESPONSE is `SEND` when an inventory is wanted and `STOP` when there is
 *   nothing to do (what the OCS server answers; the agent only looks for SEND).
 *
 * GLPI agent JSON protocol (GLPI agent ≥ 1.0, parc-agent):
 * - The agent reads Content-Type: `application/x-compress-zlib` → zlib-inflated, `application/x-compress-gzip`
 *   → gunzipped, anything else not starting `application/x-` (e.g. `application/json`) → plain JSON.
 *   A GLPI server answers with the request's compression; `encodeGlpiReply` does the same.
 * - `expiration` is in hours (a bare number; the agent also accepts "30m", "2d"…). A CONTACT answer with
 *   a missing or zero expiration is rejected by the agent.
 * - Any `status` other than "ok" makes the agent stop this run ("error" logs `message`).
 */

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" ?>';

function compress(data: Buffer, compression: Compression): Buffer {
  if (compression === 'zlib') return deflateSync(data); // default level: starts 78 9C
  if (compression === 'gzip') return gzipSync(data);
  return data;
}

function wholeHours(hours: number): number {
  return Number.isFinite(hours) ? Math.max(1, Math.round(hours)) : 24;
}

/** Content-Type for an OCS-protocol reply (agents ignore it, proxies and logs do not). */
export function ocsReplyContentType(compression: Compression = 'zlib'): string {
  if (compression === 'zlib') return 'application/x-compress-zlib';
  if (compression === 'gzip') return 'application/x-compress-gzip';
  return 'application/xml';
}

/**
 * Answer to an OCS PROLOG: `SEND` asks for an inventory now, `STOP` means nothing to do; either way the
 * agent comes back after `frequencyHours`. zlib by default, as agents with Compress::Zlib expect.
 */
export function ocsPrologReply(
  opts: { send: boolean; frequencyHours: number },
  compression: Compression = 'zlib',
): Buffer {
  const xml = `${XML_DECLARATION}<REPLY><RESPONSE>${opts.send ? 'SEND' : 'STOP'}</RESPONSE><PROLOG_FREQ>${wholeHours(opts.frequencyHours)}</PROLOG_FREQ></REPLY>`;
  return compress(Buffer.from(xml, 'utf8'), compression);
}

/** Answer to an OCS INVENTORY: accepted, no account information to update on the agent. */
export function ocsInventoryReply(compression: Compression = 'zlib'): Buffer {
  const xml = `${XML_DECLARATION}<REPLY><RESPONSE>NO_ACCOUNT_UPDATE</RESPONSE></REPLY>`;
  return compress(Buffer.from(xml, 'utf8'), compression);
}

/**
 * The GLPI version announced for the inventory task. The agent keeps it as the server's version and only
 * changes its JSON for 10.0.0 betas; "server": "glpi" is what makes it send its inventory to this URL
 * with the JSON protocol (another value would send it looking for the glpiinventory plugin).
 */
export const GLPI_SERVER_VERSION = '10.0.0';

export type GlpiContactReply = {
  status: 'ok';
  /** Hours until the next CONTACT. */
  expiration: number;
  tasks?: { inventory: { server: 'glpi'; version: string } };
  /** Tasks the agent must not run this time (it never disables "remoteinventory" on request). */
  disabled?: string[];
};

/**
 * Answer to a GLPI agent CONTACT, as GLPI's `Inventory\Request::contact()` builds it:
 * `{"status":"ok","expiration":24,"tasks":{"inventory":{"server":"glpi","version":"10.0.0"}}}`.
 * When no inventory is wanted, "inventory" is listed in `disabled` (without it the agent runs every task
 * it enabled). The other tasks the agent announced (`enabledTasks` of the CONTACT: deploy, esx,
 * netdiscovery…) are not served by Parc and are disabled too, as GLPI does for tasks without a handler.
 */
export function glpiContactReply(opts: {
  expirationHours: number;
  inventory: boolean;
  enabledTasks?: readonly string[] | undefined;
}): GlpiContactReply {
  const disabled = new Set((opts.enabledTasks ?? []).map((t) => t.toLowerCase()));
  disabled.delete('inventory');
  if (!opts.inventory) disabled.add('inventory');
  return {
    status: 'ok',
    expiration: wholeHours(opts.expirationHours),
    ...(opts.inventory
      ? { tasks: { inventory: { server: 'glpi' as const, version: GLPI_SERVER_VERSION } } }
      : {}),
    ...(disabled.size > 0 ? { disabled: [...disabled] } : {}),
  };
}

export type GlpiInventoryReply = { status: 'ok'; expiration?: number };

/** Answer to a GLPI agent inventory: accepted (GLPI adds its expiration; the agent does not need it). */
export function glpiInventoryReply(opts: { expirationHours?: number } = {}): GlpiInventoryReply {
  return opts.expirationHours === undefined
    ? { status: 'ok' }
    : { status: 'ok', expiration: wholeHours(opts.expirationHours) };
}

export type GlpiErrorReply = { status: 'error'; message: string };

/** A refusal the GLPI agent logs as "server error: <message>". Send it with HTTP 200 or 4xx alike. */
export function glpiErrorReply(message: string): GlpiErrorReply {
  return { status: 'error', message };
}

export type GlpiReply = GlpiContactReply | GlpiInventoryReply | GlpiErrorReply;

/**
 * A GLPI JSON reply as bytes and Content-Type, compressed like the request was (what a GLPI server does):
 * zlib → `application/x-compress-zlib` (starts 78 9C), gzip → `application/x-compress-gzip`,
 * none → `application/json`.
 */
export function encodeGlpiReply(
  reply: GlpiReply,
  compression: Compression = 'none',
): { body: Buffer; contentType: string } {
  const body = compress(Buffer.from(JSON.stringify(reply), 'utf8'), compression);
  const contentType =
    compression === 'zlib'
      ? 'application/x-compress-zlib'
      : compression === 'gzip'
        ? 'application/x-compress-gzip'
        : 'application/json';
  return { body, contentType };
}
