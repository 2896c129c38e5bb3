/** PRINT_PROVIDER=sftp with PRINT_SFTP_URL: the print house; else the folder drop of the embedded default. */
import type { Db } from '../../archive/database.js';
import { FolderPrintProvider } from '../print-local.js';
import type { PrintProvider } from './provider.js';
import { SftpPrintProvider } from './sftp-provider.js';

export function printProvider(config: { provider: 'folder' | 'sftp'; sftpUrl?: string }, db: Db, dataDir?: string): PrintProvider {
  if (config.provider === 'sftp') {
    if (!config.sftpUrl) throw new Error('PRINT_PROVIDER=sftp needs PRINT_SFTP_URL (sftp://user:password@host:port/path)');
    return new SftpPrintProvider(config.sftpUrl);
  }
  return new FolderPrintProvider(db, dataDir);
}
