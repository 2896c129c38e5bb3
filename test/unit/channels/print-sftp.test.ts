/** The SFTP print house provider against a real SFTP server on 127.0.0.1 (test/support/sftp-server.ts). */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrintProviderError, printJobId, type PrintJob } from '../../../channels/print/provider.js';
import { parseSftpUrl, SftpPrintProvider } from '../../../channels/print/sftp-provider.js';
import { startSftpServer } from '../../support/sftp-server.js';

let sftp: Awaited<ReturnType<typeof startSftpServer>>;

beforeAll(async () => {
  sftp = await startSftpServer();
  mkdirSync(join(sftp.root, 'inbox'));
});
afterAll(() => sftp?.stop());

function job(key: string): PrintJob {
  const jobId = printJobId(key);
  return {
    invoiceId: key,
    jobId,
    pdf: Buffer.from(`%PDF-1.7 ${key} ${'x'.repeat(200_000)}`),
    manifest: {
      jobId,
      created: '2026-11-02T08:00:00.000Z',
      document: { file: `${jobId}.pdf`, sha256: 'ab'.repeat(32), pages: 2 },
      recipient: { name: 'Kari Nordmann', addressLines: ['Lien 3'], postalCode: '5030', city: 'Bergen', country: 'NO' },
      sender: { name: 'Fjordvarme AS', orgNumber: '123456785' },
      options: { duplex: true, color: false, postage: 'B' },
    },
  };
}

describe('SFTP print provider', () => {
  it('uploads the PDF and then the manifest, each under a temporary name renamed when complete', async () => {
    const provider = new SftpPrintProvider(sftp.url('/inbox', `?fingerprint=${encodeURIComponent(sftp.fingerprint)}`));
    const j = job('123456785:invoice:P-1:print');
    const { location } = await provider.submit(j);
    expect(location).toBe(`sftp://127.0.0.1:${sftp.port}/inbox/${j.jobId}.pdf`);
    expect(readdirSync(join(sftp.root, 'inbox')).sort()).toEqual([`${j.jobId}.json`, `${j.jobId}.pdf`]);
    expect(readFileSync(join(sftp.root, 'inbox', `${j.jobId}.pdf`))).toEqual(Buffer.from(j.pdf));
    expect(JSON.parse(readFileSync(join(sftp.root, 'inbox', `${j.jobId}.json`), 'utf8'))).toEqual(j.manifest);
    // Never written in place: only the dot-names were opened for writing, the PDF before the manifest.
    const mine = sftp.writesOpened.filter((n) => n.includes(j.jobId));
    expect(mine).toEqual([`.${j.jobId}.pdf.part`, `.${j.jobId}.json.part`]);
  });

  it('submits a job once: the same job id again uploads nothing', async () => {
    const provider = new SftpPrintProvider(sftp.url('/inbox'));
    const j = job('123456785:invoice:P-2:print');
    await provider.submit(j);
    const before = sftp.writesOpened.length;
    await provider.submit(j);
    expect(sftp.writesOpened.length).toBe(before);
  });

  it('reads the status file the print house writes back, and nothing before it does', async () => {
    const provider = new SftpPrintProvider(sftp.url('/inbox'));
    const j = job('123456785:invoice:P-3:print');
    await provider.submit(j);
    expect(await provider.status(j.jobId)).toBeUndefined();
    writeFileSync(join(sftp.root, 'inbox', `${j.jobId}.status.json`), JSON.stringify({ jobId: j.jobId, status: 'posted', at: '2026-11-03T10:00:00Z' }));
    expect(await provider.status(j.jobId)).toEqual({ jobId: j.jobId, status: 'posted', at: '2026-11-03T10:00:00Z' });
  });

  it('refuses a server whose host key is not the pinned one, and a wrong password, as retryable provider errors', async () => {
    const wrongKey = new SftpPrintProvider(sftp.url('/inbox', `?fingerprint=${encodeURIComponent(`SHA256:${'A'.repeat(43)}`)}`));
    await expect(wrongKey.submit(job('k:1'))).rejects.toBeInstanceOf(PrintProviderError);
    const wrongPassword = new SftpPrintProvider(`sftp://printer:nope@127.0.0.1:${sftp.port}/inbox`);
    await expect(wrongPassword.submit(job('k:2'))).rejects.toMatchObject({ name: 'PrintProviderError', code: 'authentication failed' });
    expect(readdirSync(join(sftp.root, 'inbox')).some((n) => n.includes(printJobId('k:1')) || n.includes(printJobId('k:2')))).toBe(false);
  });

  it('fails an upload into a folder that does not exist, retryably, leaving no file', async () => {
    const provider = new SftpPrintProvider(sftp.url('/missing'));
    await expect(provider.submit(job('k:3'))).rejects.toBeInstanceOf(PrintProviderError);
  });

  it('reads PRINT_SFTP_URL', () => {
    expect(parseSftpUrl('sftp://us%40er:p%3Ass@print.example.no:2222/jobs/in')).toEqual({
      host: 'print.example.no',
      port: 2222,
      username: 'us@er',
      password: 'p:ss',
      dir: '/jobs/in',
      fingerprint: undefined,
    });
    expect(() => parseSftpUrl('ftp://x@h/p')).toThrow(/PRINT_SFTP_URL/);
    expect(() => parseSftpUrl('sftp://x@h/p?fingerprint=MD5:aa')).toThrow(/fingerprint/);
  });
});
