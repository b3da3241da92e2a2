import type { FastifyInstance } from 'fastify';
import { ping } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';

/** /healthz: the process answers. /readyz: the database answers and every migration is applied. */
export function installHealth(app: FastifyInstance): void {
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const { handle } = app.deps;
    try {
      await ping(handle.db);
    } catch {
      return reply.status(503).send({ status: 'unavailable', reason: 'database' });
    }
    const pending = await pendingMigrations(handle);
    if (pending.length > 0)
      return reply.status(503).send({ status: 'unavailable', reason: 'migrations', pending });
    return { status: 'ready' };
  });
}
