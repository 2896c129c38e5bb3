import { describe, expect, it } from 'vitest';
import type { Db } from '../../../archive/database.js';
import { configuredEfakturaProvider } from '../../../channels/efaktura/configured-provider.js';
import { IssuerServiceProvider } from '../../../channels/efaktura/issuer-service.js';
import { SandboxEfakturaProvider } from '../../../channels/efaktura/sandbox-provider.js';
import { loadConfig } from '../../../main/config.js';

const db = {} as Db; // neither provider touches the database when it is made

describe('EFAKTURA_PROVIDER', () => {
  it('is the sandbox by default, which the API may then play', () => {
    const { provider, sandbox } = configuredEfakturaProvider(loadConfig({}).efaktura, db);
    expect(provider).toBeInstanceOf(SandboxEfakturaProvider);
    expect(sandbox).toBe(provider);
  });

  it('issuer-service takes URL and credentials, names what is missing, and has no sandbox', () => {
    const env = { EFAKTURA_PROVIDER: 'issuer-service', EFAKTURA_URL: 'https://efaktura.example.no/v1', EFAKTURA_USERNAME: 'u', EFAKTURA_PASSWORD: 'p' };
    const { provider, sandbox } = configuredEfakturaProvider(loadConfig(env).efaktura, db);
    expect(provider).toBeInstanceOf(IssuerServiceProvider);
    expect(sandbox).toBeUndefined();
    expect(() => configuredEfakturaProvider(loadConfig({ ...env, EFAKTURA_URL: '', EFAKTURA_PASSWORD: '' }).efaktura, db)).toThrow('EFAKTURA_URL, EFAKTURA_PASSWORD');
    expect(() => configuredEfakturaProvider(loadConfig({ ...env, EFAKTURA_URL: 'ftp://x/' }).efaktura, db)).toThrow(/http\(s\)/);
    expect(() => loadConfig({ EFAKTURA_PROVIDER: 'nets' })).toThrow(/sandbox or issuer-service/);
  });
});
