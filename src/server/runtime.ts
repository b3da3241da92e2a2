import pino, { type Logger } from 'pino';
import { REDACTED_PATHS } from './app.js';
import type { Config } from './config.js';
import { loadSecretKey, type SecretBox, secretBox } from './crypto.js';
import { DatabaseUnavailableError, type DbHandle, openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';

/** A fatal start-up problem, told to the operator in one line with the fix. */
export class StartupError extends Error {}

export type Runtime = { config: Config; handle: DbHandle; secrets: SecretBox; log: Logger };

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

/** Opens what every command needs: the secret key, the database (migrated unless told not to). */
export async function openRuntime(
  config: Config,
  opts: { migrate: boolean; log?: Logger },
): Promise<Runtime> {
  const log = opts.log ?? createLogger(config);
  let secrets: SecretBox;
  try {
    const { key, generated } = loadSecretKey(config.secretKey, config.dataDir);
    if (generated)
      log.warn(
        { file: `${config.dataDir}/secret.key` },
        'generated a secret key; back it up with the database',
      );
    secrets = secretBox(key);
  } catch (err) {
    throw new StartupError(
      `PARC_DATA_DIR: cannot read or create the secret key in ${config.dataDir} (${(err as Error).message}); make the folder writable or set PARC_SECRET_KEY`,
    );
  }
  let handle: DbHandle;
  try {
    handle = await openDatabase(config.database);
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) throw new StartupError(err.message);
    throw err;
  }
  if (opts.migrate) {
    const { applied } = await migrate(handle);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  }
  return { config, handle, secrets, log };
}
