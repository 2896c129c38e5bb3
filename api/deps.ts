import type { Client } from '@temporalio/client';
import type { Db } from '../archive/database.js';
import type { SandboxEfakturaChannel } from '../channels/efaktura-sandbox.js';
import type { LocalPeppolChannel } from '../channels/peppol-local.js';
import type { OfficialValidator } from '../validation/submission.js';
import type { RulesApi } from './routes/rules.js';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  peppol: LocalPeppolChannel;
  efaktura: SandboxEfakturaChannel;
  official?: OfficialValidator;
  rules?: RulesApi;
  bodyLimit: string;
  log: (message: string, meta?: Record<string, unknown>) => void;
}
