// The yardstick: a bare Fastify JSON route, no database, no auth.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({
  ok: true,
  id: '01890000-0000-7000-8000-000000000000',
  email: 'admin@parc.local',
}));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
