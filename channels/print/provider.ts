/**
 * A print-and-post service, in our words: take a job (the PDF and its manifest) under a job id derived from the
 * invoice, and tell its status later. The print house over SFTP (channels/print/sftp-provider.ts, PRINT_PROVIDER=sftp)
 * and the folder drop of the embedded default (channels/print-local.ts) both implement it.
 */
import { createHash } from 'node:crypto';

/** What the print house needs to print, envelope and post one letter (docs/print-sftp.md). */
export interface PrintManifest {
  jobId: string;
  /** ISO 8601: when we made the job. */
  created: string;
  /** The document file beside the manifest, `<jobId>.pdf`, and its SHA-256 so a truncated copy is never printed. */
  document: { file: string; sha256: string; pages: number };
  recipient: { name: string; addressLines: string[]; postalCode: string; city: string; country: string };
  sender: { name: string; orgNumber?: string };
  /** Simplex/duplex, colour and postage class: our defaults for invoices (B-post, as Norwegian print services price). */
  options: { duplex: boolean; color: boolean; postage: 'A' | 'B' };
}

export interface PrintJob {
  invoiceId: string;
  jobId: string;
  pdf: Uint8Array;
  manifest: PrintManifest;
}

/** `accepted` (taken, not yet printed), `printed`, `posted` (handed to Posten), `rejected` (will not print). */
export interface PrintJobStatus {
  jobId: string;
  status: string;
  at?: string;
  reason?: string;
}

export interface PrintProvider {
  readonly kind: 'folder' | 'sftp';
  /** Resolves once the whole job landed where the provider takes it; the same job id again submits nothing new. */
  submit(job: PrintJob): Promise<{ location: string }>;
  /** The status the provider reported for the job, if it reported one yet. */
  status(jobId: string): Promise<PrintJobStatus | undefined>;
}

/** The print provider could not be reached or refused the upload: retried (the letter must not be lost). */
export class PrintProviderError extends Error {
  constructor(readonly code: string) {
    super(`print provider failed (${code})`);
    this.name = 'PrintProviderError';
  }
}

/** A job id from the delivery key: the same invoice is the same job, and a file name on any system. */
export function printJobId(deliveryKey: string): string {
  return `ff-${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32)}`;
}

/** A status file's content, checked: the print house writes it, we read only what we understand. */
export function parseJobStatus(jobId: string, text: string): PrintJobStatus | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed.status !== 'string' || parsed.status.length > 40) return undefined;
  return {
    jobId,
    status: parsed.status,
    ...(typeof parsed.at === 'string' ? { at: parsed.at } : {}),
    ...(typeof parsed.reason === 'string' ? { reason: parsed.reason.slice(0, 200) } : {}),
  };
}
