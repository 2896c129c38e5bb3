/**
 * The eFaktura B2C channel over an EfakturaProvider (the issuer service or the sandbox): find the consumer, check
 * the issuer's blacklist, submit one consignment per invoice, and poll it to an answer within the deliver
 * activity (DOMAIN.md §1.2–1.5). The workflow sees one activity per delivery, however many polls it took.
 *
 * Exactly once: the consignment id derives from the delivery key, so every attempt of the activity uses the same
 * id. An attempt first asks for that consignment: one the service already has is polled, never submitted again;
 * should two attempts race, the service refuses the second submission with 209 (duplicate consignmentId), which
 * means "already submitted" and leads to polling too. A deliberate resend later adds its resend number.
 */
import { createHash } from 'node:crypto';
import { getAgreement } from '../../archive/agreements.js';
import type { Db } from '../../archive/database.js';
import type { Invoice, Totals } from '../../invoice/model.js';
import { presentationLink } from '../../public-pages/presentation-link.js';
import type { SignedLinks } from '../../public-pages/signed-link.js';
import type { EfakturaStatus } from '../../routing/facts.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from '../channel.js';
import { maskIdentifier } from '../masking.js';
import { receiptFor } from '../receipt.js';
import { DuplicateConsignment, EfakturaRefused, type Claim, type ClaimReceiver, type EfakturaProvider, type ReceiverQuery } from './provider.js';

export interface EfakturaChannelOptions {
  provider: EfakturaProvider;
  db: Db;
  links: SignedLinks;
  /** PUBLIC_BASE_URL: where the presentation links point. */
  publicBaseUrl: string;
  /** How long one attempt polls before it hands back to Temporal's retry (inside the activity's 2 minutes). */
  pollWindowMs?: number;
  pollIntervalMs?: number;
}

/** Still pending when the poll window closed: retryable, so Temporal polls again later with backoff. */
export class EfakturaClaimPending extends Error {
  constructor(readonly consignmentId: string) {
    super(`eFaktura consignment ${consignmentId} is still being processed`);
    this.name = 'EfakturaClaimPending';
  }
}

/** 1–40 characters (submitter service); the same for every attempt of one delivery, another for a resend. */
export function consignmentIdFor(deliveryKey: string, resendNumber = 0): string {
  const base = `ff${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32)}`;
  return resendNumber > 0 ? `${base}-r${resendNumber}` : base;
}

interface Standing {
  status: EfakturaStatus;
  efakturaIdentifier?: string;
}

export class EfakturaChannel implements DeliveryChannel {
  readonly channel = 'efaktura' as const;
  private readonly pollWindowMs: number;
  private readonly pollIntervalMs: number;

  constructor(private readonly options: EfakturaChannelOptions) {
    // With the look-up and the submission, an attempt stays inside the activity's 2 minutes.
    this.pollWindowMs = options.pollWindowMs ?? 45_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 3_000;
  }

  /** The routing fact: found / blocked from the provider; agreement_* from our agreements when not found. */
  async lookup(invoice: Invoice): Promise<EfakturaStatus> {
    return (await this.standing(invoice)).status;
  }

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const { invoice } = request;
    const { provider } = this.options;
    const issuer = invoice.supplier.taxId ?? '';
    const consignmentId = consignmentIdFor(request.deliveryKey);
    let receiver: ClaimReceiver | undefined;

    const known = await provider.getConsignmentStatus(issuer, consignmentId);
    if (known.state === 'unknown') {
      receiver = await this.receiverFor(invoice, request.agreementAccepted === true);
      const claim = this.claim(request, receiver);
      try {
        await provider.addInvoices({ consignmentId, issuer, claims: [claim] });
      } catch (err) {
        if (err instanceof EfakturaRefused) throw new ChannelUnavailable('ClaimRejected', `eFaktura refused the claim (${err.code})`);
        // 209: an earlier attempt's submission arrived after all. It is the claim; poll it.
        if (!(err instanceof DuplicateConsignment)) throw err;
      }
    }
    const status = await this.pollToAnswer(request, issuer, consignmentId);
    const identifier = status.efakturaIdentifier ?? (receiver && 'efakturaIdentifier' in receiver ? receiver.efakturaIdentifier : undefined);
    const reference = receiver && 'efakturaReference' in receiver ? receiver.efakturaReference : undefined;
    return receiptFor('efaktura', request.deliveryKey, {
      provider: provider.kind,
      consignmentId,
      invoiceStatus: 'accepted',
      ...(identifier ? { efakturaIdentifier: maskIdentifier(identifier) } : {}),
      ...(reference ? { efakturaReference: maskIdentifier(reference) } : {}),
      ...(receiver && 'socialSecurityNumber' in receiver ? { receiverBy: 'socialSecurityNumber' } : {}),
    });
  }

  private async pollToAnswer(request: DeliveryRequest, issuer: string, consignmentId: string): Promise<{ efakturaIdentifier?: string }> {
    const { provider } = this.options;
    const deadline = Date.now() + this.pollWindowMs;
    for (;;) {
      request.heartbeat?.();
      const consignment = await provider.getConsignmentStatus(issuer, consignmentId);
      if (consignment.state === 'rejected') {
        throw new ChannelUnavailable('ClaimRejected', `eFaktura rejected the consignment (${(consignment.errors ?? []).map((e) => e.code).join(', ') || 'no code'})`);
      }
      if (consignment.state === 'processed') {
        const invoice = await provider.getInvoiceStatus(issuer, consignmentId, request.invoice.invoiceNumber);
        if (invoice.state === 'accepted') return { efakturaIdentifier: invoice.efakturaIdentifier };
        if (invoice.state !== 'pending') throw new ChannelUnavailable('ClaimRejected', `eFaktura ${invoice.state} the claim (${invoice.reason?.code ?? 'no code'})`);
      }
      // 'pending', or 'unknown' right after a submission the service has not registered yet.
      if (Date.now() + this.pollIntervalMs > deadline) throw new EfakturaClaimPending(consignmentId);
      await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
    }
  }

  /** Who the claim goes to, or why eFaktura cannot take it. */
  private async receiverFor(invoice: Invoice, agreementAccepted: boolean): Promise<ClaimReceiver> {
    const standing = await this.standing(invoice);
    if (standing.status === 'blocked') throw new ChannelUnavailable('ConsumerBlocked', 'the consumer has blocked eFaktura from this issuer');
    if (standing.efakturaIdentifier) return { efakturaIdentifier: standing.efakturaIdentifier };
    if (standing.status === 'agreement_accepted' || agreementAccepted) {
      // Accepted through our agreement request but not (yet) found by the look-up: address the claim by
      // fødselsnummer, else by the agreement reference, which is our customer number (DOMAIN.md §1.3, §6).
      if (invoice.buyer.nationalId) return { socialSecurityNumber: invoice.buyer.nationalId };
      if (invoice.buyer.customerNumber) return { efakturaReference: invoice.buyer.customerNumber };
    }
    throw new ChannelUnavailable('AgreementMissing', `no eFaktura consent or agreement (${standing.status})`);
  }

  private async standing(invoice: Invoice): Promise<Standing> {
    const { provider, db } = this.options;
    const issuer = invoice.supplier.taxId ?? '';
    let found: Awaited<ReturnType<EfakturaProvider['getEfakturaIdentifiers']>>;
    try {
      found = await provider.getEfakturaIdentifiers(receiverQuery(invoice));
    } catch (err) {
      // A refused look-up (what we know of the person does not satisfy the service) finds nobody.
      if (!(err instanceof EfakturaRefused)) throw err;
      found = { found: false };
    }
    if (found.found) {
      const blackList = await provider.getBlackList(issuer);
      return { status: blackList.includes(found.efakturaIdentifier) ? 'blocked' : 'found', efakturaIdentifier: found.efakturaIdentifier };
    }
    const customerNumber = invoice.buyer.customerNumber;
    const agreement = customerNumber ? await getAgreement(db, issuer, invoice.branch ?? '', customerNumber) : undefined;
    switch (agreement?.status) {
      case 'accepted':
        return { status: 'agreement_accepted' };
      case 'rejected':
        return { status: 'agreement_rejected' };
      case 'requested':
        return { status: 'agreement_pending' };
      default:
        return { status: 'not_found' };
    }
  }

  private claim(request: DeliveryRequest, receiver: ClaimReceiver): Claim {
    const { invoice, totals } = request;
    const creditAccount = invoice.payment?.account ?? norwegianIbanBban(invoice.payment?.iban);
    const refuse = (why: string) => new ChannelUnavailable('ClaimRejected', why);
    // eFaktura claims are requests for payment in NOK to a Norwegian account (DOMAIN.md §1.4).
    if (invoice.currency !== 'NOK') throw refuse('eFaktura claims are in NOK');
    if (!creditAccount) throw refuse('an eFaktura claim needs the Norwegian account to pay to');
    if (!(totals.payableAmount > 0)) throw refuse('an eFaktura claim needs an amount to pay');
    if (!invoice.dueDate) throw refuse('an eFaktura claim needs a due date');
    return {
      invoiceId: request.invoiceId,
      receiver,
      invoiceNumber: invoice.invoiceNumber,
      kid: invoice.payment?.kid,
      creditAccount,
      amount: totals.payableAmount.toFixed(2),
      dueDate: invoice.dueDate,
      issuerName: invoice.supplier.name,
      presentationUrl: presentationLink(this.options.links, this.options.publicBaseUrl, request.invoiceId),
    };
  }
}

/** By fødselsnummer when the ERP gave one; else by name with address, mobile and e-mail (eFaktura 2.0, DOMAIN.md §1.2). */
export function receiverQuery(invoice: Invoice): ReceiverQuery {
  const { buyer } = invoice;
  const query: ReceiverQuery = { issuer: invoice.supplier.taxId ?? '', customerNumber: buyer.customerNumber };
  if (buyer.nationalId) return { ...query, nationalId: buyer.nationalId };
  const mobile = normalisedMobile(buyer.phone ?? buyer.contact?.phone);
  const email = buyer.email ?? buyer.contact?.email;
  return {
    ...query,
    name: buyer.name,
    ...(buyer.address ? { address: { street: buyer.address.street, postalCode: buyer.address.postalCode, city: buyer.address.city, country: buyer.address.country } } : {}),
    ...(mobile ? { mobile } : {}),
    ...(email ? { email } : {}),
  };
}

/** Digits with the country code, e.g. 4791234567 (the form eFaktura look-ups take). */
function normalisedMobile(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  const digits = phone.replace(/\D/g, '').replace(/^00/, '');
  if (digits.length === 8) return `47${digits}`;
  return digits.length >= 8 ? digits : undefined;
}

function norwegianIbanBban(iban: string | undefined): string | undefined {
  const compact = iban?.replace(/\s/g, '').toUpperCase();
  return compact && /^NO\d{13}$/.test(compact) ? compact.slice(4) : undefined;
}
