import { Router } from 'express';
import { officialValidationVersions } from '../../ehf/official-validation.js';
import { registry } from '../metrics.js';
import type { ApiDeps } from '../deps.js';
import { allow } from '../auth.js';

export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();

  // Each check is a short status word; the error itself goes to the log only: a raw driver message names hosts, ports,
  // users and database names (issue 9, defect 5).
  const check = (part: string, probe: () => Promise<unknown>) =>
    probe().then(
      () => 'ok',
      (err: Error) => {
        deps.log(`health: ${part} check failed`, { error: err.message });
        return 'unavailable';
      },
    );

  router.get('/health', async (_req, res) => {
    const [database, temporal] = await Promise.all([
      check('database', () => deps.db.query('SELECT 1')),
      check('engine', () => deps.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const startup = deps.startup?.status() ?? 'done';
    const ok = database === 'ok' && temporal === 'ok' && (deps.startup?.healthy() ?? true);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks: { database, temporal, rules: deps.rules?.status() ?? 'not loaded', startup } });
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
