/** The HTTP API (Express): the ERP's contract, agreements, the sandbox providers, rules, health and metrics. */
import express from 'express';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { ApiDeps } from './deps.js';
import { errorHandler } from './problem.js';
import { agreementPageRoutes } from './routes/agreement-page.js';
import { refuseHostileJson, refuseUnreadableBody, rejectUnsafeUrl, strictUtf8 } from './request-guards.js';
import { agreementRoutes } from './routes/agreements.js';
import { httpRequests } from './metrics.js';
import { healthRoutes } from './routes/health.js';
import { invoiceRoutes } from './routes/invoices.js';
import { peppolParticipantRoutes } from './routes/peppol-participants.js';
import { peppolResponseRoutes } from './routes/peppol-responses.js';
import { presentationRoutes } from './routes/presentation.js';
import { keyRoutes } from './routes/keys.js';
import { ruleRoutes } from './routes/rules.js';
import { sandboxRoutes } from './routes/sandbox.js';
import { smsDeliveryReportRoutes } from './routes/sms-delivery-reports.js';

export const openapiPath = fileURLToPath(new URL('./openapi.yaml', import.meta.url));

/** The same document as JSON (DESIGN.md: /openapi.json and /openapi.yaml), read once. */
let openapiDocument: unknown;
const openapiJson = () => (openapiDocument ??= parseYaml(readFileSync(openapiPath, 'utf8')));

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    res.on('finish', () => httpRequests.inc({ method: req.method, route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  app.use(rejectUnsafeUrl);
  app.use(refuseUnreadableBody);
  if (deps.startup) app.use(deps.startup.gate());
  app.use(invoiceRoutes(deps));
  app.use(presentationRoutes(deps));
  app.use(peppolParticipantRoutes(deps));
  app.use(express.json({ limit: '1mb', verify: strictUtf8 }));
  app.use(refuseHostileJson);
  app.use(agreementRoutes(deps));
  app.use(agreementPageRoutes(deps));
  app.use(smsDeliveryReportRoutes(deps));
  app.use(sandboxRoutes(deps));
  app.use(peppolResponseRoutes(deps));
  app.use(ruleRoutes(deps));
  app.use(keyRoutes(deps));
  app.use(healthRoutes(deps));
  app.get('/openapi.yaml', (_req, res) => res.type('application/yaml').sendFile(openapiPath));
  app.get('/openapi.json', (_req, res) => res.json(openapiJson()));
  app.use((_req, res) => res.status(404).json({ error: 'not_found', message: 'no such endpoint; see /openapi.yaml' }));
  app.use(errorHandler(deps.log));
  return app;
}
