import type { FastifyInstance } from 'fastify';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Series = { statuses: Map<number, number>; count: number; sum: number; buckets: number[] };

/**
 * Prometheus metrics in the text format: request counts and latency per route, plus process figures.
 * Kept in-process: each instance exposes its own, as Prometheus expects. The per-request work is a
 * few map lookups; labels are only rendered when /metrics is read.
 */
export function installMetrics(app: FastifyInstance): void {
  const series = new Map<string, Map<string, Series>>();
  const started = Date.now();

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return done();
    let byMethod = series.get(route);
    if (!byMethod) {
      byMethod = new Map();
      series.set(route, byMethod);
    }
    let s = byMethod.get(request.method);
    if (!s) {
      s = { statuses: new Map(), count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      byMethod.set(request.method, s);
    }
    s.statuses.set(reply.statusCode, (s.statuses.get(reply.statusCode) ?? 0) + 1);
    const seconds = reply.elapsedTime / 1000;
    s.count++;
    s.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) s.buckets[i]!++;
    done();
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const counts: string[] = [];
    const latency: string[] = [];
    for (const [route, byMethod] of series) {
      for (const [method, s] of byMethod) {
        const labels = `method="${method}",route="${route}"`;
        for (const [status, n] of s.statuses)
          counts.push(`parc_http_requests_total{${labels},status="${status}"} ${n}`);
        for (const [i, b] of BUCKETS.entries())
          latency.push(`parc_http_request_duration_seconds_bucket{${labels},le="${b}"} ${s.buckets[i]}`);
        latency.push(`parc_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
        latency.push(`parc_http_request_duration_seconds_sum{${labels}} ${s.sum}`);
        latency.push(`parc_http_request_duration_seconds_count{${labels}} ${s.count}`);
      }
    }
    const mem = process.memoryUsage();
    const lines = [
      '# HELP parc_http_requests_total HTTP requests by method, route and status.',
      '# TYPE parc_http_requests_total counter',
      ...counts,
      '# HELP parc_http_request_duration_seconds HTTP request latency.',
      '# TYPE parc_http_request_duration_seconds histogram',
      ...latency,
      '# TYPE parc_process_resident_memory_bytes gauge',
      `parc_process_resident_memory_bytes ${mem.rss}`,
      '# TYPE parc_process_heap_used_bytes gauge',
      `parc_process_heap_used_bytes ${mem.heapUsed}`,
      '# TYPE parc_process_uptime_seconds gauge',
      `parc_process_uptime_seconds ${(Date.now() - started) / 1000}`,
    ];
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
}
