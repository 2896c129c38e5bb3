/** Routing rules for operations teams: what is active, what was rejected, and dry-runs (DESIGN.md "Contracts"). */
import { Router } from 'express';
import type { ApiDeps } from '../deps.js';
import { allow } from '../auth.js';
import { HttpError } from '../problem.js';

export interface RulesApi {
  status(): string;
  describe(): Promise<unknown>;
  evaluate(body: unknown): Promise<unknown>;
  whatIf(body: unknown): Promise<unknown>;
}

export function ruleRoutes(deps: ApiDeps): Router {
  const router = Router();
  const rules = () => {
    if (!deps.rules) throw new HttpError(503, 'rules_unavailable', 'no routing rules are loaded');
    return deps.rules;
  };
  router.get('/v1/rules', allow(deps, 'ops', 'support', 'admin'), async (_req, res) => res.json(await rules().describe()));
  router.post('/v1/rules/evaluate', allow(deps, 'ops', 'support', 'admin'), async (req, res) => res.json(await rules().evaluate(req.body)));
  // What-if reads past invoices of every supplier: operations only.
  router.post('/v1/rules/what-if', allow(deps, 'ops', 'admin'), async (req, res) => res.json(await rules().whatIf(req.body)));
  return router;
}
