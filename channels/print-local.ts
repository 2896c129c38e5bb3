/**
 * The embedded default's print provider: the job lands in the print outbox (`DATA_DIR/outbox/print/`), the PDF
 * and then its manifest, as a print house would take it over SFTP (docs/print-sftp.md). A status file a person or a
 * test drops beside it (`<jobId>.status.json`) is read like the print house's.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../archive/database.js';
import { putOutboxMessage } from '../archive/outbox.js';
import { PrintChannel } from './print/print-channel.js';
import { parseJobStatus, type PrintJob, type PrintJobStatus, type PrintProvider } from './print/provider.js';

export class FolderPrintProvider implements PrintProvider {
  readonly kind = 'folder' as const;
  constructor(private readonly db: Db, private readonly dataDir?: string) {}

  async submit(job: PrintJob): Promise<{ location: string }> {
    const pdf = await putOutboxMessage(this.db, this.dataDir, {
      channel: 'print',
      messageKey: `print:${job.jobId}.pdf`,
      invoiceId: job.invoiceId,
      mediaType: 'application/pdf',
      filename: `${job.jobId}.pdf`,
      content: job.pdf,
    });
    await putOutboxMessage(this.db, this.dataDir, {
      channel: 'print',
      messageKey: `print:${job.jobId}.json`,
      invoiceId: job.invoiceId,
      mediaType: 'application/json',
      filename: `${job.jobId}.json`,
      content: JSON.stringify(job.manifest, null, 2),
    });
    return { location: `outbox:${pdf.row.id}` };
  }

  async status(jobId: string): Promise<PrintJobStatus | undefined> {
    if (!this.dataDir) return undefined;
    const text = await readFile(join(this.dataDir, 'outbox', 'print', `${jobId}.status.json`), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : parseJobStatus(jobId, text);
  }
}

/** The print channel on the folder drop: what `npm start` uses unless PRINT_PROVIDER=sftp. */
export class LocalPrintChannel extends PrintChannel {
  constructor(db: Db, dataDir?: string) {
    super(new FolderPrintProvider(db, dataDir));
  }
}
