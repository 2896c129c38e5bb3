import { describe, expect, it } from 'vitest';
import { presentationLink, presentedInvoice } from '../../../public-pages/presentation-link.js';
import { SignedLinks } from '../../../public-pages/signed-link.js';

const links = new SignedLinks(Buffer.alloc(32, 3));
const made = new Date('2026-11-02T10:00:00Z');
const tokenOf = (link: string) => link.slice('https://faktura.example.no/faktura/'.length);

describe('invoice presentation links', () => {
  it('open the invoice for at least the 16 months eFaktura asks, and nothing once expired', () => {
    const link = presentationLink(links, 'https://faktura.example.no/', '123456785:invoice:2026-0042', made);
    expect(link.startsWith('https://faktura.example.no/faktura/')).toBe(true);
    expect(presentedInvoice(links, tokenOf(link), new Date('2028-03-01T00:00:00Z'))).toBe('123456785:invoice:2026-0042'); // 16 months on
    expect(presentedInvoice(links, tokenOf(link), new Date('2028-05-03T00:00:00Z'))).toBeUndefined(); // past 18 months
  });

  it('refuse a token signed with another key or for another purpose', () => {
    const link = presentationLink(new SignedLinks(Buffer.alloc(32, 4)), 'https://faktura.example.no', '123456785:invoice:2026-0042', made);
    expect(presentedInvoice(links, tokenOf(link), made)).toBeUndefined();
    const agreement = links.sign({ purpose: 'agreement', subject: '123456785:invoice:2026-0042', expiresAt: new Date('2030-01-01') });
    expect(presentedInvoice(links, agreement, made)).toBeUndefined();
  });
});
