/** The product's configuration, all from the environment (README "Configuration"). */
import { parseIsoDuration } from '../routing/iso-duration.js';

export type Role = 'all' | 'api' | 'worker';

export interface Config {
  /** Which parts this process runs: all (embedded default), or only the API or only a worker (scale-out). */
  role: Role;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** Port of the embedded PostgreSQL when DATABASE_URL is not set. */
  embeddedPostgresPort: number;
  temporalAddress?: string;
  temporalNamespace: string;
  /** Ports of the embedded Temporal dev server (frontend gRPC and web UI) when TEMPORAL_ADDRESS is not set. */
  temporalPort: number;
  temporalUiPort: number;
  rulesDir: string;
  smtpUrl?: string;
  mailFrom: string;
  agreementWait?: string;
  bodyLimit: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const agreementWait = env.AGREEMENT_WAIT || undefined;
  if (agreementWait && parseIsoDuration(agreementWait) === undefined) {
    throw new Error(`AGREEMENT_WAIT must be an ISO 8601 duration such as P3D or PT30S, not ${JSON.stringify(agreementWait)}`);
  }
  const role = (env.FAKTURAFLYT_ROLE || 'all') as Role;
  if (!['all', 'api', 'worker'].includes(role)) throw new Error(`FAKTURAFLYT_ROLE must be all, api or worker, not ${JSON.stringify(role)}`);
  return {
    role,
    port: int(env.PORT, 3000),
    host: env.HOST || '127.0.0.1',
    dataDir: env.DATA_DIR || '.data',
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPostgresPort: int(env.EMBEDDED_PG_PORT, 54329),
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalPort: int(env.TEMPORAL_PORT, 7233),
    temporalUiPort: int(env.TEMPORAL_UI_PORT, 8233),
    rulesDir: env.RULES_DIR || 'rules',
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'fakturaflyt <faktura@fakturaflyt.invalid>',
    agreementWait,
    bodyLimit: env.BODY_LIMIT || '10mb',
  };
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`not a port number: ${value}`);
  return n;
}
