/**
 * Knowledge-base benchmark (helpdesk issue, item 6): generates N procedures (default 50,000; French
 * and English) straight into a fresh SQLite database, starts Parc on it and measures the p50/p95 latency
 * over HTTP of the search (a common word, a rare word, two words, a requester's search) and of the
 * suggestions for a ticket title being typed. Target: p95 < 30 ms.
 * With --pg postgres://user@host:port/db the same runs on a fresh PostgreSQL database created (and
 * dropped) next to the one named.
 * Usage: npm run bench:kb -- [--articles N] [--requests N] [--pg URL [--keep 1]]
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { articleSearchText, tagsText } from '../src/server/modules/kb/kb.text.js';
import { foldText } from '../src/shared/text.js';
import { type ParcProcess, ROOT, startParc } from '../test/support/parc-process.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const ARTICLES = Number(args.get('articles') ?? 50_000);
const REQUESTS = Number(args.get('requests') ?? 200);
const PG_URL = args.get('pg');
// --keep 1 leaves the database (PostgreSQL, or the SQLite file) in place, to look at plans with EXPLAIN.
const ADMIN = { email: 'bench@example.test', password: 'bench password 1234' };
const REQUESTER = { email: 'demandeur@example.test', password: 'bench password 1234' };

/** A deterministic pseudo-random sequence, so both databases get the same articles. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const FR = {
  subjects: [
    'L’imprimante',
    'L’écran',
    'Le poste de travail',
    'La messagerie Outlook',
    'Le VPN',
    'Le Wi-Fi',
    'Le scanner',
    'La session Windows',
    'Le téléphone IP',
    'Le lecteur réseau',
    'Teams',
    'Le navigateur',
    'La station d’accueil',
    'Le disque',
    'La sauvegarde',
    'Le clavier',
  ],
  problems: [
    'ne démarre pas',
    'est très lent',
    'affiche un écran noir',
    'se déconnecte sans arrêt',
    'refuse le mot de passe',
    'reste hors ligne',
    'signale un bourrage papier',
    'plante à l’ouverture',
    'ne trouve pas le serveur',
    'bloque la mise à jour',
    'n’imprime plus en couleur',
    'perd la connexion réseau',
  ],
  symptoms: [
    'L’utilisateur signale le problème depuis ce matin.',
    'Un message d’erreur apparaît au bout de quelques minutes.',
    'Le voyant clignote en orange.',
    'Le problème touche plusieurs postes du même étage.',
    'Un redémarrage ne change rien.',
    'Le service comptabilité est bloqué.',
  ],
  causes: [
    'Pilote obsolète après la mise à jour.',
    'Certificat expiré sur le serveur.',
    'Câble réseau endommagé.',
    'Profil utilisateur corrompu.',
    'Pare-feu qui bloque le port.',
    'Cartouche de toner vide.',
  ],
  steps: [
    'Redémarrer le poste et vérifier les câbles.',
    'Ouvrir le gestionnaire de périphériques et mettre à jour le pilote.',
    'Supprimer le profil et le recréer.',
    'Vider le cache du navigateur.',
    'Vérifier la configuration du proxy.',
    'Relancer le service d’impression (spouleur).',
    'Réinstaller le logiciel depuis le portail.',
    'Contrôler l’espace disque disponible.',
  ],
  tags: ['impression', 'réseau', 'messagerie', 'poste', 'sécurité', 'téléphonie', 'sauvegarde'],
};
const EN = {
  subjects: [
    'The printer',
    'The monitor',
    'The laptop',
    'Outlook',
    'The VPN client',
    'The Wi-Fi',
    'The scanner',
    'The Windows session',
    'The IP phone',
    'The network drive',
    'Teams',
    'The browser',
    'The docking station',
    'The hard drive',
    'The backup job',
    'The keyboard',
  ],
  problems: [
    'does not start',
    'is very slow',
    'shows a black screen',
    'keeps disconnecting',
    'rejects the password',
    'stays offline',
    'reports a paper jam',
    'crashes on launch',
    'cannot reach the server',
    'blocks the update',
    'no longer prints in colour',
    'loses the network connection',
  ],
  symptoms: [
    'The user reports the issue since this morning.',
    'An error message appears after a few minutes.',
    'The light blinks orange.',
    'Several computers on the same floor are affected.',
    'A restart changes nothing.',
    'The accounting team is blocked.',
  ],
  causes: [
    'Outdated driver after the update.',
    'Expired certificate on the server.',
    'Damaged network cable.',
    'Corrupted user profile.',
    'Firewall blocking the port.',
    'Empty toner cartridge.',
  ],
  steps: [
    'Restart the computer and check the cables.',
    'Open Device Manager and update the driver.',
    'Delete the profile and create it again.',
    'Clear the browser cache.',
    'Check the proxy settings.',
    'Restart the print spooler service.',
    'Reinstall the software from the portal.',
    'Check the free disk space.',
  ],
  tags: ['printing', 'network', 'email', 'workstation', 'security', 'telephony', 'backup'],
};

/** A rare word: one article in 5,000 carries this error code. */
const RARE = '0x8007045d';

type Row = {
  id: string;
  title: string;
  symptoms: string;
  cause: string;
  resolution: string;
  language: string;
  visibility: string;
  status: string;
  tags: string[];
  software: string[];
  at: string;
};

function article(i: number, rand: () => number): Row {
  const en = rand() < 0.4;
  const v = en ? EN : FR;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const title = `${pick(v.subjects)} ${pick(v.problems)}${rand() < 0.3 ? ` (site ${1 + Math.floor(rand() * 40)})` : ''}`;
  const steps = Array.from({ length: 3 + Math.floor(rand() * 4) }, (_, k) => `${k + 1}. ${pick(v.steps)}`);
  const rare = i % 5000 === 17 ? ` Code ${RARE}.` : '';
  const status = rand() < 0.85 ? 'published' : rand() < 0.66 ? 'draft' : 'archived';
  const at = new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 730 * 86_400_000)).toISOString();
  return {
    id: uuidv7(),
    title,
    symptoms: `${pick(v.symptoms)} ${pick(v.symptoms)}${rare}`,
    cause: pick(v.causes),
    resolution: steps.join('\n'),
    language: en ? 'en' : 'fr',
    visibility: rand() < 0.5 ? 'public' : 'internal',
    status,
    tags: [pick(v.tags), ...(rand() < 0.3 ? [pick(v.tags)] : [])].filter((t, k, a) => a.indexOf(t) === k),
    software: rand() < 0.2 ? ['Microsoft Outlook'] : [],
    at,
  };
}

function columns(r: Row, orgId: string, userId: string) {
  return [
    r.id,
    orgId,
    r.title,
    r.symptoms,
    r.cause,
    r.resolution,
    r.language,
    r.visibility,
    r.status,
    JSON.stringify(r.tags),
    tagsText(r.tags),
    '[]',
    JSON.stringify(r.software),
    foldText(r.title),
    articleSearchText(r),
    userId,
    r.at,
    r.at,
  ];
}
const COLUMNS =
  'id, org_id, title, symptoms, cause, resolution, language, visibility, status, tags, tags_text, applies_to_models, applies_to_software, title_search, search_text, created_by, created_at, updated_at';

function generateSqlite(dbFile: string): void {
  const db = new BetterSqlite3(dbFile);
  const org = db.prepare('SELECT id FROM organisation WHERE is_home = 1').get() as { id: string };
  const user = db.prepare('SELECT id FROM app_user WHERE email = ?').get(ADMIN.email) as { id: string };
  const ins = db.prepare(
    `INSERT INTO kb_article (${COLUMNS}, version) VALUES (${Array.from({ length: 18 }, () => '?').join(', ')}, 1)`,
  );
  const rand = rng(42);
  db.transaction(() => {
    for (let i = 0; i < ARTICLES; i++) ins.run(...columns(article(i, rand), org.id, user.id));
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
}

async function generatePg(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const org = (await client.query<{ id: string }>('SELECT id FROM organisation WHERE is_home')).rows[0]!;
  const user = (await client.query<{ id: string }>('SELECT id FROM app_user WHERE email = $1', [ADMIN.email]))
    .rows[0]!;
  const rand = rng(42);
  await client.query('BEGIN');
  for (let start = 0; start < ARTICLES; start += 500) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = start; i < Math.min(ARTICLES, start + 500); i++) {
      const n = values.length;
      values.push(...columns(article(i, rand), org.id, user.id));
      rows.push(`(${Array.from({ length: 18 }, (_, k) => `$${n + k + 1}`).join(', ')}, 1)`);
    }
    await client.query(`INSERT INTO kb_article (${COLUMNS}, version) VALUES ${rows.join(', ')}`, values);
  }
  await client.query('COMMIT');
  // As autovacuum would soon: flushes the trigram indexes' pending lists (a bulk load leaves them full,
  // which makes the planner shun the indexes) and gathers statistics.
  await client.query('VACUUM ANALYZE kb_article');
  await client.end();
}

async function measure(
  url: string,
  headers: Record<string, string>,
): Promise<{ p50: number; p95: number; count: number }> {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < REQUESTS + 10; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { items: unknown[] };
    if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
    if (i >= 10) times.push(performance.now() - t0);
    count = body.items.length;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.floor(times.length * 0.95)]!, count };
}

async function signIn(base: string, who: { email: string; password: string }) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  if (!login.ok) throw new Error(`login ${who.email}: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

async function main() {
  spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), '--help'], { stdio: 'ignore' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-bench-kb-'));
  let databaseUrl: string | undefined;
  if (PG_URL) {
    // A fresh database beside the one named, dropped at the end.
    const name = `parc_bench_kb_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
  }
  const env = {
    PARC_ADMIN_EMAIL: ADMIN.email,
    PARC_ADMIN_PASSWORD: ADMIN.password,
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  };
  const running = new Set<ParcProcess>();
  const start = async () => {
    const parc = await startParc({ entry: path.join(ROOT, 'dist/parc.mjs'), dataDir, env });
    running.add(parc);
    await parc.ready();
    return parc;
  };
  const stop = async (parc: ParcProcess, keepData: boolean) => {
    running.delete(parc);
    await parc.stop({ keepData });
  };
  try {
    // First start creates the schema, the home organisation and a requester; then the generator fills it.
    const first = await start();
    const adminHeaders = await signIn(first.url, ADMIN);
    const me = (await (await fetch(`${first.url}/api/v1/me`, { headers: adminHeaders })).json()) as {
      memberships: Array<{ orgId: string }>;
    };
    const created = await fetch(`${first.url}/api/v1/users`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: REQUESTER.email,
        displayName: 'Demandeur',
        password: `first ${REQUESTER.password}`,
        orgId: me.memberships[0]!.orgId,
        roles: ['requester'],
      }),
    });
    if (!created.ok) throw new Error(`requester: ${created.status} ${await created.text()}`);
    // A password given by an administrator is changed at first login.
    const changed = await fetch(`${first.url}/api/v1/me/password`, {
      method: 'POST',
      headers: {
        ...(await signIn(first.url, { ...REQUESTER, password: `first ${REQUESTER.password}` })),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        currentPassword: `first ${REQUESTER.password}`,
        newPassword: REQUESTER.password,
      }),
    });
    if (!changed.ok) throw new Error(`requester password: ${changed.status} ${await changed.text()}`);
    await stop(first, true);

    const t0 = performance.now();
    if (databaseUrl) await generatePg(databaseUrl);
    else generateSqlite(path.join(dataDir, 'parc.db'));
    console.log(
      `generated ${ARTICLES} procedures in ${((performance.now() - t0) / 1000).toFixed(1)} s (${databaseUrl ? 'PostgreSQL' : 'SQLite'})`,
    );

    const parc = await start();
    const staff = await signIn(parc.url, ADMIN);
    const requester = await signIn(parc.url, REQUESTER);
    const list = `${parc.url}/api/v1/kb/articles?limit=20`;
    const suggest = `${parc.url}/api/v1/kb/suggest?limit=5`;
    const q = (text: string) => encodeURIComponent(text);
    const cases: Array<[string, string, Record<string, string>]> = [
      ['list, newest first (no search)', list, staff],
      ['common word in titles ("imprimante")', `${list}&q=imprimante`, staff],
      ['very common word in texts ("profil")', `${list}&q=profil`, staff],
      ['common word, accent-free ("ecran")', `${list}&q=ecran`, staff],
      ['common English word ("printer")', `${list}&q=printer`, staff],
      [`rare word ("${RARE}")`, `${list}&q=${RARE}`, staff],
      ['two words ("ecran noir")', `${list}&q=${q('ecran noir')}`, staff],
      ['two words ("outlook profil")', `${list}&q=${q('outlook profil')}`, staff],
      ['requester, common word ("imprimante")', `${list}&q=imprimante`, requester],
      ['suggest "L’imprimante ne marche pas"', `${suggest}&q=${q('L’imprimante ne marche pas')}`, staff],
      [
        'suggest "Outlook plante depuis la mise à jour"',
        `${suggest}&q=${q('Outlook plante depuis la mise à jour')}`,
        staff,
      ],
      ['suggest "VPN keeps disconnecting"', `${suggest}&q=${q('VPN keeps disconnecting')}`, requester],
    ];
    console.log(`p50 / p95 over ${REQUESTS} sequential requests (target p95 < 30 ms):`);
    for (const [label, url, headers] of cases) {
      const r = await measure(url, headers);
      console.log(
        `  ${label.padEnd(48)} p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms   (${r.count} rows)`,
      );
    }
    await stop(parc, args.has('keep'));
    if (args.has('keep') && !databaseUrl) console.log(`kept ${path.join(dataDir, 'parc.db')}`);
  } finally {
    for (const parc of running) await parc.stop();
    if (databaseUrl && !args.has('keep')) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
      await admin.end();
    }
  }
}

await main();
