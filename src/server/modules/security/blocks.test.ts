import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, type TestApp, testApp } from '../../test/harness.js';
import { encodeBlocks } from './block-pool.js';
import {
  BLOCK_ACTIONS,
  BLOCK_OUTCOMES,
  type BlockBatch,
  blockBatchOf,
  decodeBlock,
  eventAt,
  mayHold,
} from './blocks.js';
import { compactBlocks, countEvents, deleteEventsBefore, listEvents } from './events.repo.js';
import { importFile } from './import.js';
import { SecurityPipeline } from './pipeline.js';
import { orgRules } from './rules.service.js';
import { createSource } from './sources.service.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
let t: TestApp;

beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const RECORDS = [
  'Mar  3 09:14:02 web1 sshd[4242]: Failed password for root from 203.0.113.5 port 51000 ssh2',
  'Mar  3 09:15:00 web1 sudo:   élodie : TTY=pts/0 ; PWD=/home/élodie ; USER=root ; COMMAND=/usr/bin/apt update',
  ...fs.readFileSync(path.join(FIXTURES, 'security-events.jsonl'), 'utf8').trim().split('\n').slice(0, 2),
  // an EVTX-XML record holds line breaks
  fs
    .readFileSync(path.join(FIXTURES, 'security-events.xml'), 'utf8')
    .match(/<Event[\s>][\s\S]*?<\/Event>/)![0],
];

describe('security event blocks', () => {
  it('keep every record exactly (accents, JSON, multi-line XML) and read the same events again', async () => {
    const times = RECORDS.map((_, i) => Date.UTC(2026, 2, 3, 9, 14 + i));
    const stored = blockBatchOf('org', {
      ids: RECORDS.map((_, i) => 100 + i),
      times,
      received: times.map((x) => x + 5),
      sources: RECORDS.map((_, i) => (i < 2 ? 'linux' : 'dc')),
      raws: RECORDS,
    });
    // As the pipeline posts it: records 0 and 2 (pure ASCII, as the parser's runs of lines are) as
    // places in the run they were cut from, the others as strings of their own.
    const run = `${RECORDS[0]}\n${RECORDS[2]}\n`;
    const batch: BlockBatch = {
      ...stored,
      texts: [run],
      text: Int32Array.from([0, -1, 0, -1, -1]),
      from: Int32Array.from([0, 0, RECORDS[0]!.length + 1, 0, 0]),
      len: Int32Array.from([RECORDS[0]!.length, 0, RECORDS[2]!.length, 0, 0]),
      own: [null, RECORDS[1]!, null, RECORDS[3]!, RECORDS[4]!],
    };
    expect([...batch.actions].map((a) => BLOCK_ACTIONS[a])).toEqual([
      'login',
      'sudo',
      'login',
      'explicit_credentials',
      expect.any(String),
    ]);
    expect([...batch.outcomes].map((o) => BLOCK_OUTCOMES[o])).toEqual([
      'failure',
      'success',
      'failure',
      'success',
      expect.any(String),
    ]);
    // encoded in the worker thread, as the pipeline does
    const [block, same] = await encodeBlocks([batch, stored], pino({ level: 'silent' }));
    // the same bytes either way
    expect(Buffer.from(block!.payload).equals(Buffer.from(same!.payload))).toBe(true);
    expect(block).toMatchObject({ id: 100, idMax: 104, count: 5, timeMin: times[0], timeMax: times[4] });
    expect(block!.payload.length).toBeLessThan(RECORDS.join('').length);
    const d = decodeBlock(block!.payload);
    expect(d.raws).toEqual(RECORDS);
    expect(d.ids).toEqual([100, 101, 102, 103, 104]);
    expect(d.times).toEqual(times);
    expect(d.sources).toEqual(['linux', 'linux', 'dc', 'dc', 'dc']);
    const first = eventAt(d, 0);
    expect(first).toMatchObject({
      time: times[0],
      ref: 100,
      host: 'web1',
      program: 'sshd',
      user: 'root',
      srcIp: '203.0.113.5',
      srcPort: 51000,
      action: 'login',
      outcome: 'failure',
    });
    expect(eventAt(d, 1)).toMatchObject({ action: 'sudo', user: 'élodie', targetUser: 'root' });
    expect(eventAt(d, 2)).toMatchObject({ eventId: 4625, user: 'm.leroy', srcIp: '198.51.100.23' });
    expect(eventAt(d, 4).eventId).toEqual(expect.any(Number));
    // the filter holds what is there, and rules out what is not
    expect(mayHold(block!.terms, { srcIp: '203.0.113.5', user: 'root' })).toBe(true);
    expect(mayHold(block!.terms, { user: 'm.leroy', srcIp: '198.51.100.23' })).toBe(true);
    const absent = Array.from({ length: 50 }, (_, i) => `192.0.2.${i}`).filter((ip) =>
      mayHold(block!.terms, { srcIp: ip }),
    );
    expect(absent.length).toBeLessThan(3);
  });

  it('list newest first across blocks with keyset pages, filters exactly, and compact small blocks', async () => {
    const org = await makeOrg(t.ctx);
    const source = await createSource(t.ctx, { orgId: org.id, name: 'drip', kind: 'syslog', ip: null });
    // One event per flush, as a quiet syslog source writes: one small block each.
    const pipeline = new SecurityPipeline({
      handle: t.db.handle,
      secrets: t.ctx.secrets,
      log: t.ctx.log,
      rulesOf: orgRules,
      batchSize: 1,
    });
    const target = { orgId: org.id, sourceId: source.id, assetId: null };
    for (let i = 0; i < 30; i++) {
      await pipeline.prepare(org.id, 1);
      const ip = i % 3 === 0 ? '198.51.100.9' : `10.0.0.${i}`;
      const raw = `Mar  3 10:${String(i).padStart(2, '0')}:00 web2 sshd[9]: Failed password for u${i} from ${ip} port ${1000 + i} ssh2`;
      pipeline.accept(target, {
        time: Date.UTC(2026, 2, 3, 10, i),
        host: 'web2',
        program: 'sshd',
        pid: 9,
        user: `u${i}`,
        srcIp: ip,
        srcPort: 1000 + i,
        action: 'login',
        outcome: 'failure',
        targetUser: null,
        group: null,
        method: 'password',
        detail: null,
        eventId: null,
        repeat: 1,
        ref: 0,
        raw,
      });
      await pipeline.settle();
    }
    await pipeline.close();
    const blocks = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('security_event_block')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('org_id', '=', org.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await blocks()).toBe(30);

    const scope = [org.id];
    const pageOne = await listEvents(t.ctx, { scope, limit: 7 });
    expect(pageOne.map((e) => e.user)).toEqual(['u29', 'u28', 'u27', 'u26', 'u25', 'u24', 'u23']);
    const last = pageOne[6]!;
    const pageTwo = await listEvents(t.ctx, {
      scope,
      limit: 7,
      after: [new Date(last.time).toISOString(), last.id],
    });
    expect(pageTwo[0]!.user).toBe('u22');
    const fromOne = await listEvents(t.ctx, { scope, srcIp: '198.51.100.9', limit: 100 });
    expect(fromOne.map((e) => e.user)).toEqual([
      'u27',
      'u24',
      'u21',
      'u18',
      'u15',
      'u12',
      'u9',
      'u6',
      'u3',
      'u0',
    ]);
    expect(await listEvents(t.ctx, { scope, text: 'FOR U1 FROM', limit: 100 })).toHaveLength(1);

    // Merged into one block: the same events, found the same way.
    expect(await compactBlocks(t.ctx)).toBeGreaterThanOrEqual(29);
    expect(await blocks()).toBe(1);
    expect(await countEvents(t.ctx, org.id)).toBe(30);
    expect((await listEvents(t.ctx, { scope, limit: 7 })).map((e) => e.id)).toEqual(pageOne.map((e) => e.id));
    expect(await listEvents(t.ctx, { scope, srcIp: '198.51.100.9', limit: 100 })).toEqual(fromOne);
  });

  it('retention rewrites a block across the cutoff with its newer events only', async () => {
    const org = await makeOrg(t.ctx);
    await importFile(t.ctx, t.db.handle, {
      file: path.join(FIXTURES, 'auth.log'),
      orgId: org.id,
      source: 'a',
      year: 2026,
    });
    const all = await listEvents(t.ctx, { scope: [org.id], limit: 1000 });
    const cutoff = all[Math.floor(all.length / 2)]!.time;
    const newer = all.filter((e) => e.time >= cutoff).map((e) => e.id);
    const deleted = await deleteEventsBefore(t.ctx, org.id, new Date(cutoff).toISOString(), 5000);
    expect(deleted).toBe(all.length - newer.length);
    const left = await listEvents(t.ctx, { scope: [org.id], limit: 1000 });
    expect(left.map((e) => e.id)).toEqual(newer);
  });
});
