import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Ctx, Principal } from '../context.js';
import type { SecretBox } from '../crypto.js';
import type { DbHandle } from '../db/database.js';
import { preconditionRequired } from './errors.js';

export type AppDeps = { config: Config; handle: DbHandle; secrets: SecretBox };

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
  interface FastifyRequest {
    actor: Principal | null;
  }
  interface FastifyContextConfig {
    /** Reachable without authentication (login, health). */
    public?: boolean;
    /** Reachable while the user must still change their password. */
    duringPasswordChange?: boolean;
  }
}

/** The service context of a request: its database, actor, time, logger and origin. */
export function ctxOf(request: FastifyRequest): Ctx {
  const { handle, secrets } = request.server.deps;
  return {
    db: handle.db,
    dialect: handle.dialect,
    actor: request.actor,
    now: new Date(),
    log: request.log,
    secrets,
    ip: request.ip,
    requestId: String(request.id),
  };
}

export function etagOf(version: number): string {
  return `"v${version}"`;
}

/** Sends a versioned record with its ETag. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, record: T): T {
  reply.header('etag', etagOf(record.version));
  return record;
}

/** The version the client read, from If-Match; required on every update so none is silently lost. */
export function expectedVersion(request: FastifyRequest): number {
  const raw = request.headers['if-match'];
  const match = typeof raw === 'string' ? /^(?:W\/)?"v(\d+)"$/.exec(raw.trim()) : null;
  if (!match) throw preconditionRequired();
  return Number(match[1]);
}
