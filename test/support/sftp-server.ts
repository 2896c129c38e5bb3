/**
 * A real SFTP server on 127.0.0.1 (ssh2's Server, an in-test ed25519 host key, password auth) serving a temp folder,
 * for the print house tests. Renames refuse an existing target as SFTP v3 servers (OpenSSH) do. It logs which
 * names were opened for writing, so a test can tell that no final name was ever written in place.
 */
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import ssh2 from 'ssh2';
import { sshFingerprint } from '../../channels/print/sftp-provider.js';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

export async function startSftpServer(options: { username?: string; password?: string } = {}) {
  const username = options.username ?? 'printer';
  const password = options.password ?? 'pr1nt-secret';
  const root = mkdtempSync(join(tmpdir(), 'fakturaflyt-sftp-'));
  const keys = utils.generateKeyPairSync('ed25519');
  const publicBlob = Buffer.from(keys.public.split(' ')[1]!, 'base64');
  const writesOpened: string[] = [];
  const local = (p: string) => join(root, posix.normalize(`/${p}`));

  const server = new Server({ hostKeys: [keys.private] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === username && ctx.password === password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          const handles = new Map<number, number>();
          let next = 0;
          const fdOf = (handle: Buffer) => handles.get(handle.readUInt32BE(0));
          const attrsOf = (s: import('node:fs').Stats) => ({ mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) });
          sftp.on('OPEN', (reqId, filename, flags) => {
            const writing = (flags & OPEN_MODE.WRITE) !== 0;
            try {
              const fd = openSync(local(filename), writing ? ((flags & OPEN_MODE.TRUNC) !== 0 || (flags & OPEN_MODE.CREAT) !== 0 ? 'w' : 'r+') : 'r');
              if (writing) writesOpened.push(posix.basename(filename));
              const id = next++;
              handles.set(id, fd);
              const handle = Buffer.alloc(4);
              handle.writeUInt32BE(id, 0);
              sftp.handle(reqId, handle);
            } catch {
              sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE);
            }
          });
          sftp.on('WRITE', (reqId, handle, offset, data) => {
            const fd = fdOf(handle);
            if (fd === undefined) return sftp.status(reqId, STATUS_CODE.FAILURE);
            writeSync(fd, data, 0, data.length, offset);
            sftp.status(reqId, STATUS_CODE.OK);
          });
          sftp.on('READ', (reqId, handle, offset, length) => {
            const fd = fdOf(handle);
            if (fd === undefined) return sftp.status(reqId, STATUS_CODE.FAILURE);
            const buffer = Buffer.alloc(length);
            const n = readSync(fd, buffer, 0, length, offset);
            if (n === 0) return sftp.status(reqId, STATUS_CODE.EOF);
            sftp.data(reqId, buffer.subarray(0, n));
          });
          sftp.on('CLOSE', (reqId, handle) => {
            const fd = fdOf(handle);
            if (fd !== undefined) closeSync(fd);
            handles.delete(handle.readUInt32BE(0));
            sftp.status(reqId, STATUS_CODE.OK);
          });
          sftp.on('FSTAT', (reqId, handle) => {
            const fd = fdOf(handle);
            if (fd === undefined) return sftp.status(reqId, STATUS_CODE.FAILURE);
            sftp.attrs(reqId, attrsOf(fstatSync(fd)));
          });
          sftp.on('FSETSTAT', (reqId) => sftp.status(reqId, STATUS_CODE.OK));
          const stat = (reqId: number, path: string) => {
            try {
              sftp.attrs(reqId, attrsOf(statSync(local(path))));
            } catch {
              sftp.status(reqId, STATUS_CODE.NO_SUCH_FILE);
            }
          };
          sftp.on('STAT', stat);
          sftp.on('LSTAT', stat);
          sftp.on('RENAME', (reqId, from, to) => {
            if (existsSync(local(to)) || !existsSync(local(from))) return sftp.status(reqId, STATUS_CODE.FAILURE);
            renameSync(local(from), local(to));
            sftp.status(reqId, STATUS_CODE.OK);
          });
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    root,
    port,
    fingerprint: sshFingerprint(publicBlob),
    writesOpened,
    url: (dir = '/', extra = '') => `sftp://${username}:${encodeURIComponent(password)}@127.0.0.1:${port}${dir}${extra}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
