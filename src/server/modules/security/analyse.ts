/**
 * `parc security analyse`: the parsers and rules run over a log file without storing anything (the
 * technician's fail2ban-regex). The file is streamed (plain or gzip), so a file of millions of lines
 * costs the engine's windows in memory, not the file's size.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ParseCounters, SecurityEvent } from './formats/event.js';
import { decompressed, type LogFormat, LogParser } from './formats/reader.js';
import { BUILTIN_SOURCE, builtinRules } from './rules/builtin.js';
import { type Detection, DetectionEngine } from './rules/engine.js';
import { loadRules, type Rule, RuleFileError, type Severity } from './rules/load.js';

export type AnalysisOptions = {
  rules: Rule[];
  /** The year of stamps without one; default: inferred from `reference`. */
  year?: number;
  /** Year inference reference (default: the file's modification time). */
  reference?: number;
  now?: number;
};

export type DetectionSummary = {
  group: Record<string, string | null>;
  sources: string[];
  users: string[];
  hosts: string[];
  first: string;
  last: string;
  events: number;
  /** Line numbers (event numbers for EVTX-XML) of the first events. */
  evidence: number[];
};

export type RuleSummary = {
  rule: string;
  title: string;
  severity: Severity;
  count: number;
  detections: DetectionSummary[];
};

export type AnalysisSummary = {
  file: string;
  format: LogFormat | null;
  compression: 'gzip' | 'none';
  lines: { read: number; parsed: number; ignored: number; rejected: number };
  rejected: ParseCounters['rejected'];
  recovered: ParseCounters['recovered'];
  timeSpan: { first: string; last: string } | null;
  rules: string[];
  detections: { total: number; byRule: RuleSummary[] };
  /** Time spent reading, parsing and detecting (process start-up excluded). */
  durationMs: number;
};

/** `built-in`, a YAML file, or a folder of .yml/.yaml files; throws RuleFileError or a plain Error. */
export function loadRuleSpecs(specs: string[]): Rule[] {
  const rules: Rule[] = [];
  for (const spec of specs.length ? specs : [BUILTIN_SOURCE]) {
    if (spec === BUILTIN_SOURCE) {
      rules.push(...builtinRules());
      continue;
    }
    const stat = fs.statSync(spec, { throwIfNoEntry: false });
    if (!stat) throw new Error(`--rules: ${spec} does not exist (give "built-in", a .yml file or a folder)`);
    const files = stat.isDirectory()
      ? fs
          .readdirSync(spec)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => path.join(spec, f))
      : [spec];
    for (const file of files) rules.push(...loadRules(fs.readFileSync(file, 'utf8'), file));
  }
  const seen = new Map<string, string>();
  for (const r of rules) {
    const other = seen.get(r.id);
    if (other)
      throw new RuleFileError([
        { source: r.source, line: 1, col: 1, message: `rule id "${r.id}" is also defined in ${other}` },
      ]);
    seen.set(r.id, r.source);
  }
  return rules;
}

/** Runs the parsers and rules over a byte stream. */
export async function analyseStream(
  source: AsyncIterable<Buffer>,
  name: string,
  opts: AnalysisOptions & { reference: number },
): Promise<AnalysisSummary> {
  const started = performance.now();
  const now = opts.now ?? Date.now();
  const reference = opts.year === undefined ? opts.reference : Date.UTC(opts.year, 11, 31, 23, 59, 59, 999);
  const engine = new DetectionEngine(opts.rules);
  // Windows exports are often newest first: they are sorted before the engine sees them.
  const held: SecurityEvent[] = [];
  const parser = new LogParser({
    reference,
    now,
    wanted: engine.actions(),
    onEvent(ev) {
      if (parser.format === 'evtx-xml') held.push(ev);
      else engine.process(ev);
    },
  });
  const info = { compression: 'none' as 'gzip' | 'none' };
  for await (const chunk of decompressed(source, info)) parser.push(chunk);
  parser.end();
  for (const ev of held.sort((a, b) => a.time - b.time || a.ref - b.ref)) engine.process(ev);
  const summary = summarise(name, parser, info.compression, engine.detections(), opts.rules);
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

export async function analyseFile(file: string, opts: AnalysisOptions): Promise<AnalysisSummary> {
  if (file === '-')
    return analyseStream(process.stdin, 'stdin', { ...opts, reference: opts.reference ?? Date.now() });
  const stat = fs.statSync(file);
  if (stat.isDirectory()) throw new Error(`${file} is a folder; give a log file`);
  const fh = await fs.promises.open(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    await fh.read(magic, 0, 2, 0);
    const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
    // A plain file is read into one buffer, reused for every chunk (the parser copies what it keeps).
    const source = gzip
      ? fh.createReadStream({ start: 0, highWaterMark: 1 << 20, autoClose: false })
      : readInto(fh);
    return await analyseStream(source, file, { ...opts, reference: opts.reference ?? stat.mtimeMs });
  } finally {
    await fh.close();
  }
}

async function* readInto(fh: fs.promises.FileHandle): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(1 << 20);
  let position = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

const iso = (t: number) => new Date(t).toISOString();

function summarise(
  file: string,
  parser: LogParser,
  compression: 'gzip' | 'none',
  detections: Detection[],
  rules: Rule[],
): AnalysisSummary {
  const c = parser.counters;
  const { first, last } = parser;
  const rejected = Object.values(c.rejected).reduce((a, b) => a + (b ?? 0), 0);
  const byRule: RuleSummary[] = [];
  for (const r of rules) {
    const mine = detections.filter((d) => d.ruleId === r.id);
    if (!mine.length) continue;
    byRule.push({
      rule: r.id,
      title: r.title,
      severity: r.severity,
      count: mine.length,
      detections: mine.map((d) => ({
        group: d.group,
        sources: d.sources,
        users: d.users,
        hosts: d.hosts,
        first: iso(d.first),
        last: iso(d.last),
        events: d.count,
        evidence: d.evidence,
      })),
    });
  }
  return {
    file,
    format: parser.format,
    compression,
    lines: { read: c.read, parsed: c.parsed, ignored: c.ignored, rejected },
    rejected: c.rejected,
    recovered: c.recovered,
    timeSpan: Number.isFinite(first) ? { first: iso(first), last: iso(last) } : null,
    rules: rules.filter((r) => r.enabled).map((r) => r.id),
    detections: { total: detections.length, byRule },
    durationMs: 0,
  };
}
