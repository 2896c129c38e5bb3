/** EFAKTURA_PROVIDER picks the eFaktura provider at start-up, here and nowhere else. */
import type { Db } from '../../archive/database.js';
import type { Config } from '../../main/config.js';
import { IssuerServiceProvider } from './issuer-service.js';
import type { EfakturaProvider } from './provider.js';
import { SandboxEfakturaProvider } from './sandbox-provider.js';

export function configuredEfakturaProvider(config: Config['efaktura'], db: Db, dataDir?: string): { provider: EfakturaProvider; sandbox?: SandboxEfakturaProvider } {
  if (config.provider === 'sandbox') {
    const sandbox = new SandboxEfakturaProvider(db, dataDir);
    return { provider: sandbox, sandbox };
  }
  const missing = (['url', 'username', 'password'] as const).filter((k) => !config[k]).map((k) => `EFAKTURA_${k.toUpperCase()}`);
  if (missing.length) throw new Error(`EFAKTURA_PROVIDER=issuer-service needs ${missing.join(', ')}`);
  const url = new URL(config.url!);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`EFAKTURA_URL must be an http(s) URL, not ${url.protocol}`);
  return { provider: new IssuerServiceProvider({ url: url.toString(), username: config.username!, password: config.password! }) };
}
