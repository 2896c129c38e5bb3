/**
 * A print house over SFTP (PRINT_PROVIDER=sftp, PRINT_SFTP_URL=sftp://user:password@host:port/path), the way
 * Norwegian print-and-post services take jobs (docs/print-sftp.md): per job `<jobId>.pdf`, then `<jobId>.json` (the
 * manifest, whose arrival makes the job), each written under a temporary dot-name and renamed when complete, so the
 * print house never picks up half a file. It writes `<jobId>.status.json` back. The one module that knows SFTP.
 *
 * Host key pinning: `?fingerprint=SHA256:<base64>` on the URL (OpenSSH's `ssh-keygen -lf` form); without it any
 * host key is accepted, and the README says so.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { parseJobStatus, PrintProviderError, type PrintJob, type PrintJobStatus, type PrintProvider } from './provider.js';

export interface SftpTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  /** The folder jobs go to; status files are read from it too. */
  dir: string;
  fingerprint?: string;
}

export function parseSftpUrl(url: string): SftpTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('PRINT_SFTP_URL must be a URL like sftp://user:password@host:22/path');
  }
  if (u.protocol !== 'sftp:' || !u.hostname || !u.username) throw new Error('PRINT_SFTP_URL must be a URL like sftp://user:password@host:22/path');
  const fingerprint = u.searchParams.get('fingerprint')?.replace(/ /g, '+') || undefined;
  if (fingerprint && !/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(fingerprint)) throw new Error('PRINT_SFTP_URL fingerprint must be SHA256:<base64> as ssh-keygen -lf prints it');
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 22,
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    dir: decodeURIComponent(u.pathname) || '/',
    fingerprint,
  };
}

/** OpenSSH's fingerprint of a host key: SHA256 of the key blob, base64 without padding. */
export function sshFingerprint(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

export class SftpPrintProvider implements PrintProvider {
  readonly kind = 'sftp' as const;
  private readonly target: SftpTarget;

  constructor(url: string, private readonly timeoutMs = 20_000) {
    this.target = parseSftpUrl(url);
  }

  async submit(job: PrintJob): Promise<{ location: string }> {
    const pdfPath = this.path(`${job.jobId}.pdf`);
    const manifestPath = this.path(`${job.jobId}.json`);
    await this.session(async (sftp) => {
      // A retry after a crash: a renamed file is complete, so what is there stays; only what is missing goes up.
      if (await exists(sftp, manifestPath)) return;
      if (!(await exists(sftp, pdfPath))) await upload(sftp, pdfPath, Buffer.from(job.pdf));
      await upload(sftp, manifestPath, Buffer.from(JSON.stringify(job.manifest, null, 2)));
    });
    return { location: `sftp://${this.target.host}:${this.target.port}${pdfPath}` };
  }

  async status(jobId: string): Promise<PrintJobStatus | undefined> {
    return this.session(async (sftp) => {
      const text = await readText(sftp, this.path(`${jobId}.status.json`));
      return text === undefined ? undefined : parseJobStatus(jobId, text);
    });
  }

  private path(name: string): string {
    return posix.join(this.target.dir, name);
  }

  /** One connection per operation: jobs are few and far between, and a held connection goes stale. */
  private session<T>(work: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    const { host, port, username, password, fingerprint } = this.target;
    return new Promise<T>((resolve, reject) => {
      const client = new Client();
      let settled = false;
      const finish = (err: Error | undefined, value?: T) => {
        if (settled) return;
        settled = true;
        client.end();
        if (err) reject(err instanceof PrintProviderError ? err : new PrintProviderError(sftpCode(err)));
        else resolve(value as T);
      };
      client.on('error', (err) => finish(err));
      client.on('close', () => finish(new PrintProviderError('connection closed')));
      client.on('ready', () => {
        client.sftp((err, sftp) => {
          if (err) return finish(err);
          work(sftp).then((value) => finish(undefined, value), (e) => finish(e as Error));
        });
      });
      const config: ConnectConfig = {
        host,
        port,
        username,
        password,
        readyTimeout: this.timeoutMs,
        // Pinned: a different host key is someone else; we never send them a letter.
        ...(fingerprint ? { hostVerifier: (key: Buffer) => sshFingerprint(key) === fingerprint } : {}),
      };
      client.connect(config);
    });
  }
}

function sftpCode(err: Error): string {
  const e = err as { code?: unknown; level?: unknown };
  if (e.level === 'client-authentication') return 'authentication failed';
  if (/host key|verification/i.test(err.message)) return 'host key mismatch';
  if (typeof e.code === 'string') return e.code;
  if (typeof e.code === 'number') return `SFTP status ${e.code}`;
  return err.name === 'Error' ? 'SFTP' : err.name;
}

function exists(sftp: SFTPWrapper, path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    sftp.stat(path, (err) => {
      if (!err) return resolve(true);
      if ((err as { code?: number }).code === 2) return resolve(false); // SSH_FX_NO_SUCH_FILE
      reject(err);
    });
  });
}

/** Written to `.<name>.part` in the same folder, then renamed: the print house sees the whole file or none. */
async function upload(sftp: SFTPWrapper, path: string, content: Buffer): Promise<void> {
  const temp = posix.join(posix.dirname(path), `.${posix.basename(path)}.part`);
  await new Promise<void>((resolve, reject) => sftp.writeFile(temp, content, (err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve, reject) => sftp.rename(temp, path, (err) => (err ? reject(err) : resolve())));
}

function readText(sftp: SFTPWrapper, path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    sftp.readFile(path, (err, data) => {
      if (!err) return resolve(data.toString('utf8'));
      if ((err as { code?: number }).code === 2) return resolve(undefined);
      reject(err);
    });
  });
}
