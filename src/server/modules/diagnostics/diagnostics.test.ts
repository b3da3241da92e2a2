import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDiagnosticNodeInput } from '../../../shared/schemas/diagnostics.js';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';

type Tree = {
  id: string;
  orgId: string;
  title: string;
  status: string;
  version: number;
  publishedVersion: number | null;
  rootNodeId: string;
  nodes: Array<{ id: string; kind: string; text: string; answers: Array<{ id: string; label: string }> }>;
};
type Walk = {
  version: number;
  node: { id: string; kind: string; text: string; answers: Array<{ id: string; label: string }> };
  outcome: {
    text: string;
    kbArticleId: string | null;
    categoryId: string | null;
    category: { name: { fr: string } } | null;
    impact: string | null;
    urgency: string | null;
    priority: number;
    createTicket: boolean;
  } | null;
  path: Array<{ question: string; answer: string }>;
};
type Problem = {
  code: string;
  detail?: string;
  currentVersion?: number;
  path?: Array<{ question: string; answer: string }>;
  errors?: Array<{ path: string; code: string; message: string }>;
};
type Page<T> = { items: T[]; nextCursor: string | null };

const HARDWARE = '00000000-0000-7000-8000-000000000101';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let requester: Session;
let adminB: Session;

const req = (
  s: Session,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...s.headers, ...headers },
    ...(payload && { payload }),
  });
const ifMatch = (v: number) => ({ 'if-match': `"v${v}"` });

/** The printer tree: blinking? → paper jam? → advice or a hardware ticket; not lit → check the cable. */
function printerTree() {
  const ids = {
    root: uuidv7(),
    jam: uuidv7(),
    removePaper: uuidv7(),
    hardware: uuidv7(),
    cable: uuidv7(),
    blinking: uuidv7(),
    off: uuidv7(),
    jamYes: uuidv7(),
    jamNo: uuidv7(),
    kb: uuidv7(),
  };
  const nodes: TDiagnosticNodeInput[] = [
    {
      id: ids.root,
      kind: 'question',
      text: 'Imprimante : le voyant clignote-t-il ?',
      answers: [
        { id: ids.blinking, label: 'Oui, en orange', nextNodeId: ids.jam },
        { id: ids.off, label: 'Non, il est éteint', nextNodeId: ids.cable },
      ],
    },
    {
      id: ids.jam,
      kind: 'question',
      text: 'Une feuille est-elle coincée ?',
      answers: [
        { id: ids.jamYes, label: 'Oui', nextNodeId: ids.removePaper },
        { id: ids.jamNo, label: 'Non', nextNodeId: ids.hardware },
      ],
    },
    {
      id: ids.removePaper,
      kind: 'outcome',
      text: 'Ouvrez le capot arrière et retirez la feuille.',
      kbArticleId: ids.kb,
      createTicket: false,
    },
    {
      id: ids.hardware,
      kind: 'outcome',
      text: 'Panne matérielle probable : un technicien passera.',
      categoryId: HARDWARE,
      impact: 'team',
      urgency: 'high',
      createTicket: true,
    },
    { id: ids.cable, kind: 'outcome', text: 'Vérifiez le câble d’alimentation.', createTicket: false },
  ];
  return {
    ids,
    doc: { title: 'Imprimante en panne', description: 'Voyants et bourrages', rootNodeId: ids.root, nodes },
  };
}

async function create(s: Session, doc: object, orgId = w.orgA.id): Promise<Tree> {
  const res = await req(s, 'POST', '/diagnostics', { orgId, ...doc });
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  return json<Tree>(res);
}

async function publish(s: Session, tree: { id: string; version: number }): Promise<Tree> {
  const res = await req(s, 'POST', `/diagnostics/${tree.id}/publish`, undefined, ifMatch(tree.version));
  if (res.statusCode !== 200) throw new Error(`publish: ${res.statusCode} ${res.body}`);
  return json<Tree>(res);
}

const walk = (s: Session, id: string, body: object) => req(s, 'POST', `/diagnostics/${id}/walk`, body);

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  tech = await login(t.app, w.techA.email);
  requester = await login(t.app, w.requesterA.email);
  adminB = await login(t.app, w.adminB.email);
});
afterAll(() => t.close());

describe('diagnostic trees', () => {
  it('creates a draft, publishes it, and lets requesters walk it only once published', async () => {
    const { doc, ids } = printerTree();
    const tree = await create(tech, doc);
    expect(tree).toMatchObject({ status: 'draft', version: 1, publishedVersion: null, rootNodeId: ids.root });
    expect(tree.nodes.map((n) => n.kind)).toEqual(['question', 'question', 'outcome', 'outcome', 'outcome']);

    // A draft is the technicians' only: a requester neither lists nor walks it.
    const listed = (s: Session, query = '') =>
      req(s, 'GET', `/diagnostics${query}`).then((r) => json<Page<Tree>>(r).items.map((i) => i.title));
    expect(await listed(tech)).toContain('Imprimante en panne');
    expect(await listed(requester)).not.toContain('Imprimante en panne');
    expect((await walk(requester, tree.id, {})).statusCode).toBe(404);
    expect((await req(requester, 'GET', `/diagnostics/${tree.id}`)).statusCode).toBe(404);
    // Technicians may try a draft out as a preview; without it, a draft is not walked.
    expect((await walk(tech, tree.id, {})).statusCode).toBe(409);
    const preview = json<Walk>(await walk(tech, tree.id, { preview: true }));
    expect(preview).toMatchObject({ version: 1, node: { text: 'Imprimante : le voyant clignote-t-il ?' } });

    const published = await publish(tech, tree);
    expect(published).toMatchObject({ status: 'published', version: 2, publishedVersion: 2 });
    expect(await listed(requester)).toContain('Imprimante en panne');
    expect(await listed(requester, '?q=IMPRIMANTE')).toEqual(['Imprimante en panne']);
    expect(await listed(requester, '?q=scanner')).toEqual([]);
    const start = json<Walk>(await walk(requester, tree.id, {}));
    expect(start).toMatchObject({
      version: 2,
      node: {
        kind: 'question',
        text: 'Imprimante : le voyant clignote-t-il ?',
        answers: [
          { id: ids.blinking, label: 'Oui, en orange' },
          { id: ids.off, label: 'Non, il est éteint' },
        ],
      },
      outcome: null,
      path: [],
    });
    // A requester may read the published tree, not change it, nor preview it.
    expect(json<Tree>(await req(requester, 'GET', `/diagnostics/${tree.id}`)).nodes).toHaveLength(5);
    expect((await req(requester, 'PUT', `/diagnostics/${tree.id}`, doc, ifMatch(2))).statusCode).toBe(403);
    expect((await walk(requester, tree.id, { preview: true })).statusCode).toBe(403);
  });

  it('refuses a malformed tree with the path and code of each problem', async () => {
    const { doc, ids } = printerTree();
    const check = async (nodes: TDiagnosticNodeInput[], rootNodeId = ids.root) => {
      const res = await req(
        tech,
        'POST',
        '/diagnostics',
        { orgId: w.orgA.id, ...doc, rootNodeId, nodes },
        { 'accept-language': 'en' },
      );
      expect(res.statusCode).toBe(400);
      return json<Problem>(res).errors!.map((e) => `${e.path} ${e.code}`);
    };
    const withNode = (i: number, change: Partial<TDiagnosticNodeInput>) =>
      doc.nodes.map((n, k) => (k === i ? { ...n, ...change } : n));

    // An answer leading out of the tree.
    const dangling = withNode(1, {
      answers: [
        { id: ids.jamYes, label: 'Oui', nextNodeId: ids.removePaper },
        { id: ids.jamNo, label: 'Non', nextNodeId: uuidv7() },
      ],
    });
    expect(await check(dangling)).toEqual([
      'nodes.1.answers.1.nextNodeId dangling',
      'nodes.3.id unreachable',
    ]);

    // An answer leading back up.
    const cycle = withNode(1, {
      answers: [
        { id: ids.jamYes, label: 'Oui', nextNodeId: ids.removePaper },
        { id: ids.jamNo, label: 'Revenir au début', nextNodeId: ids.root },
        { id: uuidv7(), label: 'Non', nextNodeId: ids.hardware },
      ],
    });
    expect(await check(cycle)).toEqual(['nodes.1.answers.1.nextNodeId cycle']);

    // A question that leads nowhere, an answer not chosen yet, and an outcome with answers.
    const leaf = withNode(4, { kind: 'question', text: 'Le câble est-il branché ?', answers: [] });
    expect(await check(leaf)).toEqual(['nodes.4.answers leaf_not_outcome']);
    const unchosen = withNode(0, {
      answers: [
        { id: ids.blinking, label: 'Oui, en orange', nextNodeId: ids.jam },
        { id: ids.off, label: 'Non, il est éteint', nextNodeId: null },
      ],
    });
    expect(await check(unchosen)).toEqual([
      'nodes.0.answers.1.nextNodeId required',
      'nodes.4.id unreachable',
    ]);
    const outcomeWithAnswers = withNode(4, {
      answers: [{ id: uuidv7(), label: 'Et après ?', nextNodeId: ids.hardware }],
    });
    expect(await check(outcomeWithAnswers)).toEqual(['nodes.4.answers not_allowed']);

    // A category nobody has, and one of another organisation.
    const catB = await req(adminB, 'POST', '/ticket-categories', {
      orgId: w.orgB.id,
      typology: 'hardware',
      name: { fr: 'Imprimantes B', en: 'Printers B' },
    });
    expect(catB.statusCode).toBe(201);
    expect(await check(withNode(3, { categoryId: uuidv7() }))).toEqual(['nodes.3.categoryId not_found']);
    expect(await check(withNode(3, { categoryId: json<{ id: string }>(catB).id }))).toEqual([
      'nodes.3.categoryId not_found',
    ]);

    // The root must be a node of the tree; ids are unique.
    expect(await check(doc.nodes, uuidv7())).toEqual(['rootNodeId not_found']);
    expect(await check([...doc.nodes, { ...doc.nodes[4]! }])).toEqual(['nodes.5.id duplicate']);

    // Messages are translated.
    const res = await req(tech, 'POST', '/diagnostics', { orgId: w.orgA.id, ...doc, nodes: cycle });
    expect(json<Problem>(res).errors![0]!.message).toBe('Ne peut pas être son propre descendant');
    const fr = await req(tech, 'POST', '/diagnostics', { orgId: w.orgA.id, ...doc, nodes: dangling });
    expect(json<Problem>(fr).errors![0]!.message).toBe('Mène à un nœud absent de l’arbre');
  });

  it('walks to an outcome with its category and priority inputs, and the path fits a ticket', async () => {
    const { doc, ids } = printerTree();
    const tree = await publish(tech, await create(tech, doc));

    const hardware = json<Walk>(
      await walk(requester, tree.id, { answers: [ids.blinking, ids.jamNo], version: 2 }),
    );
    expect(hardware).toMatchObject({
      version: 2,
      node: { kind: 'outcome', text: 'Panne matérielle probable : un technicien passera.', answers: [] },
      outcome: {
        categoryId: HARDWARE,
        category: { name: { fr: 'Matériel' } },
        impact: 'team',
        urgency: 'high',
        // The default matrix: team × high.
        priority: 2,
        createTicket: true,
        kbArticleId: null,
      },
      path: [
        { question: 'Imprimante : le voyant clignote-t-il ?', answer: 'Oui, en orange' },
        { question: 'Une feuille est-elle coincée ?', answer: 'Non' },
      ],
    });
    const advice = json<Walk>(await walk(requester, tree.id, { answers: [ids.blinking, ids.jamYes] }));
    expect(advice.outcome).toMatchObject({ createTicket: false, kbArticleId: ids.kb, categoryId: null });

    // The ticket takes the outcome's category, impact and urgency, and the path as it came.
    const ticket = await req(requester, 'POST', '/tickets', {
      orgId: w.orgA.id,
      title: 'L’imprimante clignote',
      categoryId: hardware.outcome!.categoryId,
      impact: hardware.outcome!.impact,
      urgency: hardware.outcome!.urgency,
      diagnosticPath: hardware.path,
    });
    expect(ticket.statusCode).toBe(201);
    expect(json(ticket)).toMatchObject({ priority: 2, categoryId: HARDWARE, diagnosticPath: hardware.path });
  });

  it('answers 422 naming a wrong answer, with the path so far', async () => {
    const { doc, ids } = printerTree();
    const tree = await publish(tech, await create(tech, doc));
    const wrong = await walk(requester, tree.id, { answers: [ids.blinking, ids.off] });
    expect(wrong.statusCode).toBe(422);
    expect(json<Problem>(wrong)).toMatchObject({
      code: 'diagnostic.bad_answer',
      errors: [{ path: 'answers.1', code: 'not_an_answer' }],
      path: [{ question: 'Imprimante : le voyant clignote-t-il ?', answer: 'Oui, en orange' }],
    });
    const past = await walk(requester, tree.id, { answers: [ids.off, ids.blinking] });
    expect(past.statusCode).toBe(422);
    expect(json<Problem>(past).errors).toMatchObject([{ path: 'answers.1', code: 'after_outcome' }]);
    const notAnId = await walk(requester, tree.id, { answers: ['oui'] });
    expect(notAnId.statusCode).toBe(400);
    expect(json<Problem>(notAnId).errors![0]!.path).toBe('answers.0');
  });

  it('keeps walks on the published snapshot, and a walk of a replaced version gets 409', async () => {
    const { doc, ids } = printerTree();
    const tree = await publish(tech, await create(tech, doc));
    expect(tree.version).toBe(2);

    // Saving needs the version read; a stale one is refused.
    const changed = {
      ...doc,
      nodes: doc.nodes.map((n, i) => (i === 4 ? { ...n, text: 'Branchez le câble.' } : n)),
    };
    expect((await req(tech, 'PUT', `/diagnostics/${tree.id}`, changed)).statusCode).toBe(428);
    expect((await req(tech, 'PUT', `/diagnostics/${tree.id}`, changed, ifMatch(1))).statusCode).toBe(412);
    const saved = json<Tree>(await req(tech, 'PUT', `/diagnostics/${tree.id}`, changed, ifMatch(2)));
    expect(saved).toMatchObject({ status: 'published', version: 3, publishedVersion: 2 });
    // The same document again changes nothing.
    expect(json<Tree>(await req(tech, 'PUT', `/diagnostics/${tree.id}`, changed, ifMatch(3))).version).toBe(
      3,
    );

    // Until published again, walks read version 2.
    const old = json<Walk>(await walk(requester, tree.id, { answers: [ids.off], version: 2 }));
    expect(old).toMatchObject({ version: 2, node: { text: 'Vérifiez le câble d’alimentation.' } });
    const previewed = json<Walk>(await walk(tech, tree.id, { answers: [ids.off], preview: true }));
    expect(previewed).toMatchObject({ version: 3, node: { text: 'Branchez le câble.' } });

    await publish(tech, saved);
    const stale = await walk(requester, tree.id, { answers: [ids.off], version: 2 });
    expect(stale.statusCode).toBe(409);
    expect(json<Problem>(stale)).toMatchObject({ code: 'diagnostic.stale_version', currentVersion: 4 });
    expect(json<Problem>(stale).detail).toContain('version 2');
    const fresh = json<Walk>(await walk(requester, tree.id, { answers: [ids.off], version: 4 }));
    expect(fresh.node.text).toBe('Branchez le câble.');
  });

  it('hides trees of other organisations, deletes drafts only, archives, and audits every write', async () => {
    const { doc } = printerTree();
    const tree = await create(tech, doc);
    for (const [method, url] of [
      ['GET', `/diagnostics/${tree.id}`],
      ['POST', `/diagnostics/${tree.id}/walk`],
      ['DELETE', `/diagnostics/${tree.id}`],
    ] as const) {
      expect((await req(adminB, method, url, method === 'POST' ? {} : undefined)).statusCode).toBe(404);
    }
    expect((await req(adminB, 'PUT', `/diagnostics/${tree.id}`, doc, ifMatch(1))).statusCode).toBe(404);
    expect((await req(tech, 'POST', '/diagnostics', { orgId: w.orgB.id, ...doc })).statusCode).toBe(404);
    expect((await req(requester, 'POST', '/diagnostics', { orgId: w.orgA.id, ...doc })).statusCode).toBe(403);
    expect(
      json<Page<Tree>>(await req(adminB, 'GET', '/diagnostics')).items.filter((i) => i.orgId === w.orgA.id),
    ).toEqual([]);

    const renamed = json<Tree>(
      await req(tech, 'PUT', `/diagnostics/${tree.id}`, { ...doc, title: 'Imprimante (v2)' }, ifMatch(1)),
    );
    const published = await publish(tech, renamed);
    expect((await req(tech, 'DELETE', `/diagnostics/${tree.id}`)).statusCode).toBe(409);
    const archived = await req(
      tech,
      'POST',
      `/diagnostics/${tree.id}/archive`,
      undefined,
      ifMatch(published.version),
    );
    expect(json<Tree>(archived)).toMatchObject({ status: 'archived' });
    expect((await walk(requester, tree.id, {})).statusCode).toBe(404);
    const titles = async (query: string) =>
      json<Page<Tree>>(await req(tech, 'GET', `/diagnostics${query}`)).items.map((i) => i.title);
    expect(await titles('')).not.toContain('Imprimante (v2)');
    expect(await titles('?status=archived')).toContain('Imprimante (v2)');

    const draft = await create(tech, printerTree().doc);
    expect((await req(tech, 'DELETE', `/diagnostics/${draft.id}`)).statusCode).toBe(204);
    expect((await req(tech, 'GET', `/diagnostics/${draft.id}`)).statusCode).toBe(404);

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity_type', '=', 'diagnostic_tree')
      .where('entity_id', 'in', [tree.id, draft.id])
      .orderBy('seq')
      .execute();
    expect(audit.map((r) => `${r.entity_id === tree.id ? 'tree' : 'draft'} ${r.action}`)).toEqual([
      'tree diagnostic.created',
      'tree diagnostic.updated',
      'tree diagnostic.published',
      'tree diagnostic.archived',
      'draft diagnostic.created',
      'draft diagnostic.deleted',
    ]);
  });
});
