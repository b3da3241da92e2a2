import { hostname } from 'node:os';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import type { Config } from './config.js';
import { buildJobRegistry } from './jobs/registry.js';
import { startWorker } from './jobs/worker.js';
import { acquirePipeline, releasePipeline, startSyslogListener } from './modules/security/index.js';
import { openRuntime, StartupError } from './runtime.js';

/**
 * Starts Parc: migrate, bootstrap the first admin, listen, run the worker; on SIGTERM/SIGINT stop
 * taking requests, finish those in flight, stop the worker, close the database.
 */
export async function serve(config: Config): Promise<void> {
  const runtime = await openRuntime(config, { migrate: true });
  const { handle, secrets, log } = runtime;
  const boot = await bootstrap(
    { db: handle.db, dialect: handle.dialect, now: new Date(), log, secrets },
    config,
  );
  if (boot.created && boot.generatedPassword) {
    // Printed once, on purpose: the operator needs it, and it must be changed at first login.
    process.stdout.write(
      `\nParc: first administrator created: ${boot.email}\nParc: one-time password: ${boot.generatedPassword}\nParc: you will be asked to change it at first login.\n\n`,
    );
  } else if (boot.created) {
    log.info({ email: boot.email }, 'first administrator created');
  }
  const app = await buildApp({ config, handle, secrets });
  const worker = config.jobs
    ? await startWorker({
        handle,
        registry: buildJobRegistry(),
        log,
        secrets,
        workerId: `${hostname()}:${process.pid}`,
      })
    : undefined;
  await app.listen({ port: config.port, host: config.host });
  // The syslog listener shares the HTTP ingest's pipeline (one writer per process).
  const syslog =
    config.security.syslogPort > 0
      ? await startSyslogListener({
          handle,
          secrets,
          log,
          pipeline: acquirePipeline(handle, secrets, log),
          host: config.security.syslogHost,
          port: config.security.syslogPort,
          tls: config.security.syslogTls,
        }).catch(async (err: NodeJS.ErrnoException) => {
          await app.close();
          if (err.code === 'EADDRINUSE')
            throw new StartupError(
              `PARC_SYSLOG_PORT: port ${config.security.syslogPort} is already in use; choose another port or 0 to turn the listener off`,
            );
          throw err;
        })
      : undefined;
  log.info({ url: config.baseUrl, database: handle.dialect.name }, 'Parc is ready');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    // close() stops accepting and waits for requests in flight; keep-alive connections they leave
    // idle would hold it open until the client drops them, so sweep those as they appear.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    // Stop taking log lines first, and write what was received.
    if (syslog) {
      await syslog.close();
      await releasePipeline(handle);
    }
    await app.close();
    clearInterval(sweep);
    await worker?.stop();
    await handle.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
