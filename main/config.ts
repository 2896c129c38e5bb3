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
  /** TEMPORAL_CODEC_PORT: the loopback port of the UI's codec endpoint (engine/codec-server.ts); 0 = any free one. */
  temporalCodecPort: number;
  /** PAYLOAD_KEYS: `id:base64key,...`, newest first; else DATA_DIR/payload-keys (engine/payload-keys.ts). */
  payloadKeys?: string;
  rulesDir: string;
  smtpUrl?: string;
  mailFrom: string;
  agreementWait?: string;
  bodyLimit: string;
  /** PUBLIC_BASE_URL: the base of every link we send to a person (agreement page, invoice presentation). */
  publicBaseUrl: string;
  /** LINK_SECRET: HMAC key of those links; else one generated once and kept in DATA_DIR/link-secret. */
  linkSecret?: string;
  /** CALLBACK_SECRET: what providers send as `Authorization: Bearer` on their callbacks. */
  callbackSecret?: string;
  peppol: {
    lookup: 'sandbox' | 'sml';
    smlZone: string;
    /** host:port pairs; else the system's resolvers. */
    dnsServers: string[];
    /** PEM file with the CA certificates the SMP's metadata signature must chain to. */
    smpTruststore?: string;
    /** PEPPOL_LOOKUP_TTL / PEPPOL_NOT_FOUND_TTL (ISO 8601): how long the cache reuses a registered / a not-registered answer, in ms. */
    lookupTtlMs: number;
    notFoundTtlMs: number;
    accessPoint: 'outbox' | 'phoss-ap';
    accessPointUrl?: string;
    accessPointToken?: string;
  };
  efaktura: {
    provider: 'sandbox' | 'issuer-service';
    url?: string;
    username?: string;
    password?: string;
  };
  /** AGREEMENT_SCOPE: an agreement request covers the invoice's branch only, or all the supplier's branches (seed 001). */
  agreementScope: 'branch' | 'all';
  sms: { gatewayUrl?: string; gatewayToken?: string; sender: string };
  print: { provider: 'folder' | 'sftp'; sftpUrl?: string };
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
    temporalCodecPort: int(env.TEMPORAL_CODEC_PORT, 0),
    payloadKeys: env.PAYLOAD_KEYS || undefined,
    rulesDir: env.RULES_DIR || 'rules',
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'fakturaflyt <faktura@fakturaflyt.invalid>',
    agreementWait,
    bodyLimit: env.BODY_LIMIT || '10mb',
    publicBaseUrl: (env.PUBLIC_BASE_URL || `http://127.0.0.1:${int(env.PORT, 3000)}`).replace(/\/+$/, ''),
    linkSecret: env.LINK_SECRET || undefined,
    callbackSecret: env.CALLBACK_SECRET || undefined,
    peppol: {
      lookup: oneOf('PEPPOL_LOOKUP', env.PEPPOL_LOOKUP, ['sandbox', 'sml'] as const),
      // OpenPeppol's production SML (DOMAIN.md §3.2); the test SML is participant.sml.test.tech.peppol.org.
      smlZone: (env.PEPPOL_SML_ZONE || 'participant.sml.prod.tech.peppol.org').replace(/\.$/, ''),
      dnsServers: list(env.PEPPOL_DNS_SERVERS),
      smpTruststore: env.PEPPOL_SMP_TRUSTSTORE || undefined,
      lookupTtlMs: duration('PEPPOL_LOOKUP_TTL', env.PEPPOL_LOOKUP_TTL, 'PT1H'),
      notFoundTtlMs: duration('PEPPOL_NOT_FOUND_TTL', env.PEPPOL_NOT_FOUND_TTL, 'PT15M'),
      accessPoint: oneOf('PEPPOL_AP', env.PEPPOL_AP, ['outbox', 'phoss-ap'] as const),
      accessPointUrl: env.PEPPOL_AP_URL || undefined,
      accessPointToken: env.PEPPOL_AP_TOKEN || undefined,
    },
    efaktura: {
      provider: oneOf('EFAKTURA_PROVIDER', env.EFAKTURA_PROVIDER, ['sandbox', 'issuer-service'] as const),
      url: env.EFAKTURA_URL || undefined,
      username: env.EFAKTURA_USERNAME || undefined,
      password: env.EFAKTURA_PASSWORD || undefined,
    },
    agreementScope: env.AGREEMENT_SCOPE ? oneOf('AGREEMENT_SCOPE', env.AGREEMENT_SCOPE, ['all', 'branch'] as const) : 'all',
    sms: { gatewayUrl: env.SMS_GATEWAY_URL || undefined, gatewayToken: env.SMS_GATEWAY_TOKEN || undefined, sender: env.SMS_SENDER || 'Faktura' },
    print: { provider: oneOf('PRINT_PROVIDER', env.PRINT_PROVIDER, ['folder', 'sftp'] as const), sftpUrl: env.PRINT_SFTP_URL || undefined },
  };
}

/** The first of `values` is the default. */
function oneOf<const T extends readonly string[]>(name: string, value: string | undefined, values: T): T[number] {
  if (value === undefined || value === '') return values[0];
  if (!values.includes(value)) throw new Error(`${name} must be ${values.join(' or ')}, not ${JSON.stringify(value)}`);
  return value;
}

function duration(name: string, value: string | undefined, fallback: string): number {
  const ms = parseIsoDuration(value || fallback);
  if (ms === undefined) throw new Error(`${name} must be an ISO 8601 duration such as PT1H or P1D, not ${JSON.stringify(value)}`);
  return ms;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`not a port number: ${value}`);
  return n;
}
