import { Router } from 'express';
import { officialValidationVersions } from '../../ehf/official-validation.js';
import { registry } from '../metrics.js';
import type { ApiDeps } from '../deps.js';
import { allow } from '../auth.js';

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

  // Which official rule sets judge the invoices: what an ERP's support needs to compare verdicts with another validator.
  router.get('/v1/validation', allow(deps, 'erp', 'ops', 'support', 'admin'), (_req, res) => {
    res.json(officialValidationVersions());
  });

  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  return router;
}
