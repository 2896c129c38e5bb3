/** API keys for admins (and the CLI's `keys` commands, which call these with the key in DATA_DIR/api-key). */
import { Router } from 'express';
import { createApiKey, isRole, listApiKeys, revokeApiKey } from '../../archive/api-keys.js';
import { allow } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../problem.js';

export function keyRoutes(deps: ApiDeps): Router {
  const router = Router();
  const admins = allow(deps, 'admin');

  router.post('/v1/keys', admins, async (req, res) => {
    const { role, suppliers = [], label = '' } = req.body ?? {};
    if (!isRole(role)) throw new HttpError(400, 'bad_request', 'role must be erp, ops, support or admin');
    if (!Array.isArray(suppliers) || suppliers.some((s) => typeof s !== 'string' || !/^\d{9}$/.test(s))) {
      throw new HttpError(400, 'bad_request', 'suppliers must be a list of 9-digit organisation numbers');
    }
    if (typeof label !== 'string' || label.length > 200) throw new HttpError(400, 'bad_request', 'label must be a text of at most 200 characters');
    try {
      const created = await createApiKey(deps.db, { role, suppliers, label });
      res.status(201).json(created);
    } catch (err) {
      if (err instanceof RangeError) throw new HttpError(400, 'bad_request', err.message);
      throw err;
    }
  });

  router.get('/v1/keys', admins, async (_req, res) => res.json({ keys: await listApiKeys(deps.db) }));

  router.delete('/v1/keys/:id', admins, async (req, res) => {
    if (!/^[0-9a-f]{12}$/.test(req.params.id) || !(await revokeApiKey(deps.db, req.params.id))) throw new HttpError(404, 'not_found', `no key ${req.params.id}`);
    res.status(204).end();
  });

  return router;
}
