/**
 * The one running pipeline per database handle (the HTTP ingest and the syslog listener share it), its
 * rule reloads wired to rule changes.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { SecretBox } from '../../crypto.js';
import type { DbHandle } from '../../db/database.js';
import { SecurityPipeline } from './pipeline.js';
import { onRulesChanged, orgRules } from './rules.service.js';

const pipelines = new WeakMap<DbHandle, { pipeline: SecurityPipeline; off: () => void; users: number }>();

export function acquirePipeline(
  handle: DbHandle,
  secrets: SecretBox,
  log: FastifyBaseLogger,
): SecurityPipeline {
  let entry = pipelines.get(handle);
  if (!entry) {
    const pipeline = new SecurityPipeline({ handle, secrets, log, rulesOf: orgRules });
    entry = { pipeline, off: onRulesChanged((orgId) => pipeline.reloadRules(orgId)), users: 0 };
    pipelines.set(handle, entry);
  }
  entry.users++;
  return entry.pipeline;
}

/** Writes what is pending; the last user closes it. */
export async function releasePipeline(handle: DbHandle): Promise<void> {
  const entry = pipelines.get(handle);
  if (!entry) return;
  entry.users--;
  await entry.pipeline.settle();
  if (entry.users > 0) return;
  pipelines.delete(handle);
  entry.off();
  await entry.pipeline.close();
}
