/**
 * The print channel: the invoice PDF (with its Norwegian payment slip) and a manifest with the postal address go to
 * the print provider as one job. Delivered = the provider has the whole job; its status, if already reported, is
 * read into the receipt.
 */
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from '../channel.js';
import { receiptFor } from '../receipt.js';
import { printJobId, type PrintManifest, type PrintProvider } from './provider.js';

export class PrintChannel implements DeliveryChannel {
  readonly channel = 'print' as const;
  constructor(readonly provider: PrintProvider) {}

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const { invoice } = request;
    const address = invoice.buyer.address;
    if (!address?.street || !address.postalCode || !address.city) {
      throw new ChannelUnavailable('NoPostalAddress', 'the buyer has no complete postal address');
    }
    const jobId = printJobId(request.deliveryKey);
    const pages = (await PDFDocument.load(request.pdf, { updateMetadata: false })).getPageCount();
    const manifest: PrintManifest = {
      jobId,
      created: new Date().toISOString(),
      document: { file: `${jobId}.pdf`, sha256: createHash('sha256').update(request.pdf).digest('hex'), pages },
      recipient: {
        name: invoice.buyer.name,
        addressLines: [address.street, ...(address.additionalStreet ? [address.additionalStreet] : [])],
        postalCode: address.postalCode,
        city: address.city,
        country: address.country,
      },
      sender: { name: invoice.supplier.name, ...(invoice.supplier.taxId ? { orgNumber: invoice.supplier.taxId } : {}) },
      options: { duplex: true, color: false, postage: 'B' },
    };
    const { location } = await this.provider.submit({ invoiceId: request.invoiceId, jobId, pdf: request.pdf, manifest });
    // The job is handed over: a failed status read must not make the attempt retry (a retry after the print house
    // has picked the job up would upload it again); the status refresh reads it later.
    const status = await this.provider.status(jobId).catch(() => undefined);
    // The postal code only: enough for support to recognise the letter, not an address.
    return receiptFor('print', request.deliveryKey, {
      provider: this.provider.kind,
      jobId,
      location,
      pages: String(pages),
      to: `${address.postalCode} ${address.country}`,
      jobStatus: status?.status ?? 'accepted',
      ...(status?.at ? { jobStatusAt: status.at } : {}),
      ...(status?.reason ? { jobStatusReason: status.reason } : {}),
    });
  }
}
