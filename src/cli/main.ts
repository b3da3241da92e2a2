import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { type Config, ConfigError, loadConfig } from '../server/config.js';
import { type Ctx, systemPrincipal } from '../server/context.js';
import { migrate } from '../server/db/migrate.js';
import { AppError } from '../server/http/errors.js';
import { problemText } from '../server/i18n/messages.js';
import { createToken } from '../server/modules/account/index.js';
import { verifyAuditChain } from '../server/modules/audit/index.js';
import { ingestBody } from '../server/modules/inventory/index.js';
import {
  createUser,
  findHomeOrganisation,
  findUserIdByEmail,
  listOrganisations,
  listUsers,
  resetUserPassword,
} from '../server/modules/orgs/index.js';
import { analyseFile, importFile, loadRuleSpecs, RuleFileError } from '../server/modules/security/index.js';
import { openRuntime, type Runtime, StartupError } from '../server/runtime.js';
import { ROLES, type Role } from '../shared/policy.js';
import { PASSWORD_MIN } from '../shared/schemas/common.js';

/** A problem the operator can fix: printed as one line, exit code 1 (or the one given). */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function config(): Config {
  return loadConfig();
}

async function withRuntime<T>(
  fn: (rt: Runtime, ctx: Ctx) => Promise<T>,
  opts = { migrate: true },
): Promise<T> {
  const cfg = config();
  const rt = await openRuntime(cfg, { migrate: opts.migrate });
  const ctx: Ctx = {
    db: rt.handle.db,
    dialect: rt.handle.dialect,
    actor: systemPrincipal('cli'),
    now: new Date(),
    log: rt.log,
    secrets: rt.secrets,
  };
  try {
    return await fn(rt, ctx);
  } finally {
    await rt.handle.close();
  }
}

async function orgIdFromSlug(ctx: Ctx, slug: string | undefined): Promise<string> {
  if (!slug) {
    const home = await findHomeOrganisation(ctx);
    if (!home) throw new CliError('no organisation yet: start Parc once (parc serve) or run parc migrate');
    return home.id;
  }
  const page = await listOrganisations(ctx, { q: slug, limit: 200 });
  const org = page.items.find((o) => o.slug === slug);
  if (!org)
    throw new CliError(`no organisation with slug "${slug}"; list them in the web (Admin > Organisations)`);
  return org.id;
}

async function userIdFromEmail(ctx: Ctx, email: string): Promise<string> {
  const id = await findUserIdByEmail(ctx, email);
  if (!id) throw new CliError(`no user with e-mail ${email}; see parc user list`);
  return id;
}

function role(value: string, previous: Role[] = []): Role[] {
  if (!(ROLES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${ROLES.join(', ')}`);
  return [...previous, value as Role];
}

function print(value: unknown) {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}

export function buildCli(): Command {
  const program = new Command('parc').description('Parc, the IT maintenance workbench').showHelpAfterError();

  program
    .command('serve')
    .description('start the server (HTTP API, web app, jobs)')
    // Loaded on demand: the HTTP stack is the slow part of start-up and other commands never need it.
    .action(async () => (await import('../server/main.js')).serve(config()));

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(() =>
      withRuntime(
        async (rt) => {
          const { applied } = await migrate(rt.handle);
          print(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
        },
        { migrate: false },
      ),
    );

  const user = program.command('user').description('manage user accounts');
  user
    .command('create')
    .description('create a user in an organisation')
    .requiredOption('--email <email>', 'login e-mail')
    .option('--name <name>', 'display name (default: the e-mail)')
    .option('--org <slug>', 'organisation slug (default: the home organisation)')
    .option('--role <role>', `role, repeatable: ${ROLES.join(', ')}`, role)
    .option(
      '--password <password>',
      `password (${PASSWORD_MIN}+ characters); default: generated, to change at first login`,
    )
    .action((o: { email: string; name?: string; org?: string; role?: Role[]; password?: string }) =>
      withRuntime(async (_rt, ctx) => {
        const email = z.email().safeParse(o.email);
        if (!email.success) throw new CliError(`--email: expected an e-mail address (got "${o.email}")`);
        if (o.password !== undefined && o.password.length < PASSWORD_MIN) {
          throw new CliError(`--password: expected at least ${PASSWORD_MIN} characters`);
        }
        const orgId = await orgIdFromSlug(ctx, o.org);
        const { user: created, temporaryPassword } = await createUser(
          ctx,
          {
            email: o.email,
            displayName: o.name ?? o.email,
            password: o.password,
            locale: null,
            orgId,
            roles: o.role ?? ['requester'],
          },
          { mustChangePassword: !o.password },
        );
        print({
          id: created.id,
          email: created.email,
          roles: o.role ?? ['requester'],
          ...(temporaryPassword && { temporaryPassword }),
        });
      }),
    );
  user
    .command('reset-password')
    .description('give a user a new one-time password and end their sessions')
    .argument('<email>')
    .action((email: string) =>
      withRuntime(async (_rt, ctx) => {
        const { temporaryPassword } = await resetUserPassword(ctx, await userIdFromEmail(ctx, email));
        print({ email, temporaryPassword });
      }),
    );
  user
    .command('list')
    .description('list users (JSON lines)')
    .option('--org <slug>', 'only this organisation')
    .action((o: { org?: string }) =>
      withRuntime(async (_rt, ctx) => {
        const orgId = o.org ? await orgIdFromSlug(ctx, o.org) : undefined;
        let cursor: string | undefined;
        do {
          const page = await listUsers(ctx, { orgId, sort: 'email', order: 'asc', limit: 200, cursor });
          for (const u of page.items) {
            process.stdout.write(
              `${JSON.stringify({ id: u.id, email: u.email, name: u.displayName, disabled: u.disabled, memberships: u.memberships.map((m) => ({ org: m.orgName, roles: m.roles })) })}\n`,
            );
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      }),
    );

  program
    .command('token')
    .description('API tokens for scripts')
    .command('create')
    .description('mint an API token for a user, organisation and role; printed once')
    .requiredOption('--email <email>', 'the user the token acts as')
    .requiredOption('--role <role>', `one role the user holds there: ${ROLES.join(', ')}`)
    .option('--org <slug>', 'organisation slug (default: the home organisation)')
    .option('--name <name>', 'a label for the token', 'cli')
    .option('--expires <iso>', 'expiry, ISO-8601 (default: never)')
    .action((o: { email: string; role: string; org?: string; name: string; expires?: string }) =>
      withRuntime(async (_rt, ctx) => {
        const [r] = role(o.role);
        if (o.expires && Number.isNaN(Date.parse(o.expires)))
          throw new CliError('--expires: expected an ISO-8601 date');
        const userId = await userIdFromEmail(ctx, o.email);
        const orgId = await orgIdFromSlug(ctx, o.org);
        const created = await createToken(
          ctx,
          { name: o.name, orgId, role: r!, expiresAt: o.expires ? new Date(o.expires).toISOString() : null },
          userId,
        );
        print(created.token);
      }),
    );

  program
    .command('audit')
    .description('the audit trail')
    .command('verify')
    .description('check the hash chain; exits 2 and names the first bad record if one was altered or deleted')
    .action(() =>
      withRuntime(async (_rt, ctx) => {
        const result = await verifyAuditChain(ctx);
        if (result.ok) return print(`audit trail intact: ${result.records} records`);
        const { seq, id, reason } = result.firstBad;
        throw new CliError(
          `audit trail broken at record #${seq} (${id}): ${reason === 'altered' ? 'its content was altered' : 'the record before it was deleted or altered'}`,
          2,
        );
      }),
    );

  program
    .command('inventory')
    .description('automatic inventory')
    .command('import')
    .description(
      'file saved agent inventories (OCS/FusionInventory XML, GLPI agent or parc-agent JSON; plain, gzip or zlib) exactly as the HTTP endpoints do',
    )
    .argument('<files...>', 'inventory files')
    .option(
      '--org <slug>',
      'file into this organisation (default: by token, rules, or the only organisation)',
    )
    .option('--token <token>', 'an enrolment token, as the agent would send it')
    .action((files: string[], opts: { org?: string; token?: string }) =>
      withRuntime(async (rt, ctx) => {
        const orgId = opts.org ? await orgIdFromSlug(ctx, opts.org) : undefined;
        const summary = { created: 0, updated: 0, unchanged: 0, pending: 0, rejected: [] as object[] };
        for (const file of files) {
          let body: Buffer;
          try {
            body = fs.readFileSync(file);
          } catch (err) {
            summary.rejected.push({ file, reason: 'unreadable', message: (err as Error).message });
            continue;
          }
          try {
            const result = await ingestBody({ ...ctx, now: new Date() }, body, {
              ip: null,
              token: opts.token,
              orgId,
              userAgent: 'parc inventory import',
              requireToken: false,
              maxBytes: rt.config.inventory.maxBytes,
            });
            if (result.kind !== 'inventory') {
              summary.rejected.push({
                file,
                reason: 'not_inventory',
                message: `a ${result.kind} message, not an inventory`,
              });
            } else summary[result.outcome]++;
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            const { title, detail } = problemText('en', err.code, err.params);
            summary.rejected.push({
              file,
              reason: err.code.replace(/^inventory\./, ''),
              message: detail ? `${title}: ${detail}` : title,
            });
          }
        }
        print(summary);
        if (summary.rejected.length > 0) process.exitCode = 1;
      }),
    );

  const security = program.command('security').description('security monitoring');
  security
    .command('analyse')
    .alias('analyze')
    .description(
      'run the security parsers and detection rules over a log file (auth.log, syslog, EVTX-XML, JSON lines; plain or gzip) without storing anything; prints a JSON summary',
    )
    .argument('<file>', 'the log file, or - for standard input')
    .option('--rules <rules...>', '"built-in", rule files (.yml) or folders of them', ['built-in'])
    .option('--year <year>', 'the year of stamps without one (default: inferred from the file date)', (v) => {
      if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError('expected a year such as 2025');
      return Number(v);
    })
    .action(async (file: string, opts: { rules: string[]; year?: number }) => {
      let rules: ReturnType<typeof loadRuleSpecs>;
      try {
        rules = loadRuleSpecs(opts.rules);
      } catch (err) {
        if (err instanceof RuleFileError) throw new CliError(`rule file refused:\n${err.message}`);
        throw new CliError((err as Error).message);
      }
      if (file !== '-' && !fs.existsSync(file)) throw new CliError(`${file}: no such file`);
      if (file !== '-' && fs.statSync(file).isDirectory())
        throw new CliError(`${file} is a folder; give a log file`);
      try {
        print(await analyseFile(file, { rules, year: opts.year }));
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR')
          throw new CliError(`${file}: the gzip data is corrupt (${e.message})`);
        if (e.code?.startsWith('E')) throw new CliError(`${file}: ${e.message}`);
        throw err;
      }
    });

  security
    .command('import')
    .description(
      "ingest a log file for real: stored, run through the organisation's rules, incidents opened and alerted; prints a JSON summary",
    )
    .argument('<file>', 'the log file (auth.log, syslog, EVTX-XML, JSON lines; plain or gzip)')
    .requiredOption('--org <slug>', 'the organisation the log belongs to')
    .requiredOption('--source <name>', 'the source name (created on first use)')
    .option('--year <year>', 'the year of stamps without one (default: inferred from the file date)', (v) => {
      if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError('expected a year such as 2025');
      return Number(v);
    })
    .action((file: string, opts: { org: string; source: string; year?: number }) =>
      withRuntime(async (rt, ctx) => {
        if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
        if (fs.statSync(file).isDirectory()) throw new CliError(`${file} is a folder; give a log file`);
        const orgId = await orgIdFromSlug(ctx, opts.org);
        try {
          print(await importFile(ctx, rt.handle, { file, orgId, source: opts.source, year: opts.year }));
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR')
            throw new CliError(`${file}: the gzip data is corrupt (${e.message})`);
          throw err;
        }
      }),
    );

  program
    .command('db')
    .description('database maintenance')
    .command('backup')
    .description('a consistent online copy of the SQLite database (the server may keep running)')
    .argument('[file]', 'destination file (default: DATA_DIR/backups/parc-<time>.db)')
    .action((file: string | undefined) =>
      withRuntime(
        async (rt) => {
          if (!rt.handle.sqliteRaw)
            throw new CliError('db backup copies the SQLite database; on PostgreSQL use pg_dump');
          const out = path.resolve(
            file ??
              path.join(
                rt.config.dataDir,
                'backups',
                `parc-${new Date().toISOString().replace(/[:.]/g, '-')}.db`,
              ),
          );
          if (fs.existsSync(out)) throw new CliError(`${out} exists already; choose another file`);
          fs.mkdirSync(path.dirname(out), { recursive: true });
          await rt.handle.sqliteRaw.backup(out);
          print(`backup written: ${out} (${fs.statSync(out).size} bytes)`);
        },
        { migrate: false },
      ),
    );
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) process.stderr.write(`parc: ${line}\n`);
      process.exit(1);
    }
    if (err instanceof StartupError || err instanceof CliError) {
      process.stderr.write(`parc: ${err.message}\n`);
      process.exit(err instanceof CliError ? err.exitCode : 1);
    }
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(
        `parc: PARC_PORT: port ${(err as { port?: number }).port ?? ''} is already in use; stop the other program or choose another port\n`,
      );
      process.exit(1);
    }
    if (err instanceof AppError) {
      process.stderr.write(
        `parc: ${err.code}${Object.keys(err.params).length ? ` ${JSON.stringify(err.params)}` : ''}\n`,
      );
      process.exit(1);
    }
    throw err;
  }
}
