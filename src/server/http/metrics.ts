import type { FastifyInstance } from 'fastify';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Series = { count: number; sum: number; buckets: number[] };

/**
 * Prometheus metrics in the text format: request counts and latency per route, plus process figures.
 * Kept in-process: each instance exposes its own, as Prometheus expects.
 */
export function installMetrics(app: FastifyInstance): void {
  const requests = new Map<string, number>();
  const durations = new Map<string, Series>();
  const started = Date.now();

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return done();
    const key = `method="${request.method}",route="${route}",status="${reply.statusCode}"`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const seconds = reply.elapsedTime / 1000;
    const dKey = `method="${request.method}",route="${route}"`;
    const s = durations.get(dKey) ?? { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
    s.count++;
    s.sum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) s.buckets[i]!++;
    });
    durations.set(dKey, s);
    done();
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const lines: string[] = [
      '# HELP parc_http_requests_total HTTP requests by method, route and status.',
      '# TYPE parc_http_requests_total counter',
      ...[...requests].map(([k, v]) => `parc_http_requests_total{${k}} ${v}`),
      '# HELP parc_http_request_duration_seconds HTTP request latency.',
      '# TYPE parc_http_request_duration_seconds histogram',
    ];
    for (const [k, s] of durations) {
      for (const [i, b] of BUCKETS.entries()) {
        lines.push(`parc_http_request_duration_seconds_bucket{${k},le="${b}"} ${s.buckets[i]}`);
      }
      lines.push(`parc_http_request_duration_seconds_bucket{${k},le="+Inf"} ${s.count}`);
      lines.push(`parc_http_request_duration_seconds_sum{${k}} ${s.sum}`);
      lines.push(`parc_http_request_duration_seconds_count{${k}} ${s.count}`);
    }
    const mem = process.memoryUsage();
    lines.push(
      '# TYPE parc_process_resident_memory_bytes gauge',
      `parc_process_resident_memory_bytes ${mem.rss}`,
      '# TYPE parc_process_heap_used_bytes gauge',
      `parc_process_heap_used_bytes ${mem.heapUsed}`,
      '# TYPE parc_process_uptime_seconds gauge',
      `parc_process_uptime_seconds ${(Date.now() - started) / 1000}`,
    );
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
}
