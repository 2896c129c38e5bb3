import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { RequestHandler } from 'express';
import type { Db } from '../archive/database.js';
import type { SandboxEfakturaProvider } from '../channels/efaktura/sandbox-provider.js';
import type { LocalPeppolChannel } from '../channels/peppol-local.js';
import type { PeppolLookup } from '../channels/peppol/lookup.js';
import type { SandboxPeppolLookup } from '../channels/peppol/sandbox-lookup.js';
import type { SignedLinks } from '../public-pages/signed-link.js';
import type { OfficialValidator } from '../validation/submission.js';
import type { RulesApi } from './routes/rules.js';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  peppol: LocalPeppolChannel;
  /** The sandbox eFaktura provider, while EFAKTURA_PROVIDER=sandbox: its consumers are played through the API. */
  efakturaSandbox?: SandboxEfakturaProvider;
  official?: OfficialValidator;
  rules?: RulesApi;
  bodyLimit: string;
  /** Signs and checks the links we send to people (agreement page, invoice presentation). */
  links?: SignedLinks;
  /** PUBLIC_BASE_URL: the base of those links. */
  publicBaseUrl?: string;
  /** CALLBACK_SECRET: providers' callbacks send it as `Authorization: Bearer`. */
  callbackSecret?: string;
  /** AGREEMENT_SCOPE: agreements asked for per branch or for all the supplier's branches. */
  agreementScope?: 'branch' | 'all';
  /** Start-up work still under way (main/startup-work.ts): `/health` reports it; its gate holds back archive routes. */
  startup?: { status(): string; healthy(): boolean; gate(): RequestHandler };
  /** The Peppol receiver lookup (GET /v1/peppol/participants/…). */
  peppolLookup?: PeppolLookup;
  /** The local participant registry: only while PEPPOL_LOOKUP=sandbox (its sandbox endpoints answer 404 otherwise). */
  peppolRegistry?: SandboxPeppolLookup;
  log: (message: string, meta?: Record<string, unknown>) => void;
  /** The engine's payload codec: histories are decoded with it before support reads them. */
  payloadCodec?: PayloadCodec;
  /** The worker runs in this process on the client's native connection: starts ask for the first task eagerly. */
  eagerStart?: boolean;
}
