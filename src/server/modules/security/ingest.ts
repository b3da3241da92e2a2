/**
 * A byte stream (a file, an HTTP body) through the pipeline: read with the shared parser (format and
 * gzip from the first bytes), every event accepted, every refusal counted on the source by reason.
 */
import type { ParseCounters, SecurityEvent } from './formats/event.js';
import { newCounters } from './formats/event.js';
import { decompressed, type LogFormat, LogParser } from './formats/reader.js';
import type { IngestTarget, SecurityPipeline } from './pipeline.js';

export type IngestSummary = {
  format: LogFormat | null;
  compression: 'gzip' | 'none';
  lines: { read: number; parsed: number; ignored: number; rejected: number };
  rejected: ParseCounters['rejected'];
  recovered: ParseCounters['recovered'];
};

/** Events in one chunk at most (a 1 MiB chunk of short lines); ids are reserved per chunk. */
const MAX_EVENTS_PER_CHUNK = 1 << 16;

export async function ingestStream(
  pipeline: SecurityPipeline,
  target: IngestTarget,
  source: AsyncIterable<Buffer>,
  opts: { reference: number; now: number },
): Promise<IngestSummary> {
  const held: SecurityEvent[] = [];
  await pipeline.prepare(target.orgId, MAX_EVENTS_PER_CHUNK);
  const parser = new LogParser({
    reference: opts.reference,
    now: opts.now,
    // Events no rule of the organisation reads (as the import starts) are stored without a copy of
    // their own and skip detection.
    wanted: target.orgId ? pipeline.actionsOf(target.orgId) : null,
    onEvent(ev) {
      // Windows exports are often newest first: sorted before the engine sees them.
      if (parser.format === 'evtx-xml') held.push(ev);
      else pipeline.accept(target, ev, true, parser.placeOf(ev));
    },
    onOther: (ev) => pipeline.accept(target, ev, false, parser.placeOf(ev)),
  });
  const seen = newCounters();
  const info = { compression: 'none' as 'gzip' | 'none' };
  for await (const chunk of decompressed(source, info)) {
    for (let i = 0; i < chunk.length; i += 1 << 20) {
      await pipeline.prepare(target.orgId, MAX_EVENTS_PER_CHUNK);
      // Back-pressure: a file or a body waits for the writer rather than filling memory.
      await pipeline.room();
      parser.push(chunk.subarray(i, Math.min(chunk.length, i + (1 << 20))));
      pipeline.countParsed(target.sourceId, parser.counters, seen);
    }
  }
  await pipeline.prepare(target.orgId, MAX_EVENTS_PER_CHUNK);
  parser.end();
  held.sort((a, b) => a.time - b.time || a.ref - b.ref);
  for (let i = 0; i < held.length; i += MAX_EVENTS_PER_CHUNK) {
    await pipeline.prepare(target.orgId, MAX_EVENTS_PER_CHUNK);
    for (const ev of held.slice(i, i + MAX_EVENTS_PER_CHUNK)) pipeline.accept(target, ev);
  }
  pipeline.countParsed(target.sourceId, parser.counters, seen);
  await pipeline.settle();
  const c = parser.counters;
  return {
    format: parser.format,
    compression: info.compression,
    lines: {
      read: c.read,
      parsed: c.parsed,
      ignored: c.ignored,
      rejected: Object.values(c.rejected).reduce((a, b) => a + (b ?? 0), 0),
    },
    rejected: c.rejected,
    recovered: c.recovered,
  };
}
