/**
 * `parc security import FILE --org ORG --source NAME`: the file through the real pipeline (stored,
 * detected, incidents opened), with the same JSON summary as `analyse` plus what was stored.
 */
import fs from 'node:fs';
import type { Ctx } from '../../context.js';
import type { DbHandle } from '../../db/database.js';
import { type IngestSummary, ingestStream } from './ingest.js';
import { SecurityPipeline } from './pipeline.js';
import { orgRules } from './rules.service.js';
import { sourceByName } from './sources.service.js';

export type ImportSummary = IngestSummary & {
  file: string;
  orgId: string;
  source: string;
  stored: number;
  detections: {
    total: number;
    byRule: Array<{
      rule: string;
      title: string;
      severity: string;
      count: number;
      detections: Array<{
        group: Record<string, string | null>;
        sources: string[];
        users: string[];
        first: string;
        last: string;
        events: number;
      }>;
    }>;
  };
  incidentsOpened: number;
  durationMs: number;
};

export async function importFile(
  ctx: Ctx,
  handle: DbHandle,
  input: { file: string; orgId: string; source: string; year?: number },
): Promise<ImportSummary> {
  const started = performance.now();
  const stat = fs.statSync(input.file);
  const target = await sourceByName(ctx, input.orgId, input.source, 'file');
  const pipeline = new SecurityPipeline({
    handle,
    secrets: ctx.secrets,
    log: ctx.log,
    rulesOf: orgRules,
    batchSize: 5000,
    keepDetections: true,
  });
  const reference = input.year === undefined ? stat.mtimeMs : Date.UTC(input.year, 11, 31, 23, 59, 59, 999);
  const summary = await ingestStream(
    pipeline,
    target,
    fs.createReadStream(input.file, { highWaterMark: 1 << 20 }),
    {
      reference,
      now: Date.now(),
    },
  );
  await pipeline.close();
  const iso = (t: number) => new Date(t).toISOString();
  const byRule = new Map<string, ImportSummary['detections']['byRule'][number]>();
  const detections = pipeline.detections(input.orgId);
  for (const d of detections) {
    let r = byRule.get(d.ruleId);
    if (!r) {
      r = { rule: d.ruleId, title: d.title, severity: d.severity, count: 0, detections: [] };
      byRule.set(d.ruleId, r);
    }
    r.count++;
    r.detections.push({
      group: d.group,
      sources: d.sources,
      users: d.users,
      first: iso(d.first),
      last: iso(d.last),
      events: d.count,
    });
  }
  return {
    file: input.file,
    orgId: input.orgId,
    source: input.source,
    ...summary,
    stored: pipeline.totals.stored,
    detections: { total: detections.length, byRule: [...byRule.values()] },
    incidentsOpened: pipeline.totals.incidentsOpened,
    durationMs: Math.round(performance.now() - started),
  };
}
