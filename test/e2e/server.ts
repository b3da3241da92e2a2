import { startParc as startProcess } from '../support/parc-process.js';

export const ADMIN_EMAIL = 'admin@example.test';
export const ADMIN_PASSWORD = 'e2e-Admin-Password-2024!';

export type Parc = {
  url: string;
  /** Everything the server printed so far, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
};

/**
 * A real Parc on a free port, with a fresh SQLite data folder and a known administrator.
 * bin/parc.mjs rebuilds the server bundle and the web app first when they are stale.
 */
export async function startParc(): Promise<Parc> {
  const parc = await startProcess({
    env: { PARC_ADMIN_EMAIL: ADMIN_EMAIL, PARC_ADMIN_PASSWORD: ADMIN_PASSWORD, PARC_LOG_LEVEL: 'warn' },
  });
  try {
    await parc.ready(120_000);
  } catch (err) {
    await parc.stop();
    throw err;
  }
  return {
    url: parc.url,
    output: parc.output,
    stop: async () => {
      await parc.stop();
    },
  };
}
