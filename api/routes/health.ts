import { Router } from 'express';
import client from 'prom-client';
import type { ApiDeps } from '../deps.js';

export const metrics = {
  registry: new client.Registry(),
};
client.collectDefaultMetrics({ register: metrics.registry });

export const httpRequests = new client.Counter({
  name: 'fakturaflyt_http_requests_total',
  help: 'HTTP requests by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metrics.registry],
});

export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/health', async (_req, res) => {
    const [database, temporal] = await Promise.all([
      deps.db.query('SELECT 1').then(() => 'ok', (err: Error) => err.message),
      deps.temporal.connection.workflowService.getSystemInfo({}).then(() => 'ok', (err: Error) => err.message),
    ]);
    const ok = database === 'ok' && temporal === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks: { database, temporal, rules: deps.rules?.status() ?? 'not loaded' } });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
