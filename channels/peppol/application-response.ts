/**
 * A UBL 2.1 ApplicationResponse as an inbound AP or an adapter forwards it to POST /v1/peppol/responses: either a
 * Message Level Response (BIS MLR 3.0, CustomizationID `urn:fdc:peppol.eu:poacc:trns:mlr:3`) about our transmission,
 * or the buyer's Invoice Response (BIS 63a, `urn:fdc:peppol.eu:poacc:trns:invoice_response:3`) about our invoice
 * (DOMAIN.md §3.4, §4). Read:
 * - `cac:DocumentResponse/cac:Response/cbc:ResponseCode`: MLR AB | AP | RE; Invoice Response AB | IP | UQ | CA | RE | AP | PD;
 * - the reasons: every `cac:Status/cbc:StatusReasonCode` (MLR line issues BV / BW / SV / FD; Invoice Response
 *   `OPStatusReason` such as REF, and `OPStatusAction` such as NIN) with its `cbc:StatusReason` text;
 * - `cac:DocumentResponse/cac:DocumentReference/cbc:ID`: the SBDH instance id of our message (MLR) or the invoice
 *   number (Invoice Response), with `cbc:DocumentTypeCode` 380 / 381 where given;
 * - `cac:ReceiverParty/cbc:EndpointID`: that is us, the supplier; it narrows an invoice number to one supplier;
 * - when: `cac:Response/cbc:EffectiveDate`, else `cbc:IssueDate` + `cbc:IssueTime`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { refusedXml } from '../../ehf/xml-tree.js';
import type { ValidationIssue } from '../../validation/issue.js';

export interface ParsedApplicationResponse {
  kind: 'mls' | 'invoice_response';
  code: string;
  reason?: string;
  at?: string;
  /** SBDH instance id (MLR) or invoice number (Invoice Response). */
  documentReference: string;
  documentType?: 'invoice' | 'creditNote';
  /** The response's receiver = the supplier of the invoice, as `<scheme>:<id>`. */
  receiver?: string;
}

export class ApplicationResponseError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'ApplicationResponseError';
  }
}

const MLR = 'urn:fdc:peppol.eu:poacc:trns:mlr:3';
const INVOICE_RESPONSE = 'urn:fdc:peppol.eu:poacc:trns:invoice_response:3';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  // Keep the document's own text; no entity expansion beyond XML's five.
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['Status', 'LineResponse', 'DocumentResponse', 'DocumentReference'].includes(name),
});

type Node = Record<string, unknown>;

export function parseApplicationResponse(xml: string): ParsedApplicationResponse {
  // The parser below expands the DOCTYPE's internal entities: refuse any DOCTYPE first, as for invoices (issue 9).
  const refused = refusedXml(xml);
  if (refused) throw new ApplicationResponseError([refused]);
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    throw new ApplicationResponseError([issue('FF-XML-SYNTAX', wellFormed.err.msg, `${wellFormed.err.line}:${wellFormed.err.col}`)]);
  }
  const doc = parser.parse(xml) as Node;
  const root = doc.ApplicationResponse as Node | undefined;
  if (!root || typeof root !== 'object') throw new ApplicationResponseError([issue('FF-PEPPOL-RESPONSE-ROOT', 'the document is not a UBL ApplicationResponse', '/')]);

  const customization = text(root.CustomizationID) ?? '';
  const kind = customization.startsWith(MLR) ? 'mls' : customization.startsWith(INVOICE_RESPONSE) ? 'invoice_response' : undefined;
  if (!kind) {
    throw new ApplicationResponseError([
      issue('FF-PEPPOL-RESPONSE-CUSTOMIZATION', `CustomizationID must be ${MLR} or ${INVOICE_RESPONSE}`, '/ApplicationResponse/cbc:CustomizationID'),
    ]);
  }
  const documentResponse = (root.DocumentResponse as Node[] | undefined)?.[0];
  const response = documentResponse?.Response as Node | undefined;
  const code = text(response?.ResponseCode);
  const reference = text((documentResponse?.DocumentReference as Node[] | undefined)?.[0]?.ID);
  const issues: ValidationIssue[] = [];
  if (!code) issues.push(issue('FF-PEPPOL-RESPONSE-CODE', 'cac:DocumentResponse/cac:Response/cbc:ResponseCode is missing', '/ApplicationResponse/cac:DocumentResponse/cac:Response'));
  if (!reference) issues.push(issue('FF-PEPPOL-RESPONSE-REFERENCE', 'cac:DocumentResponse/cac:DocumentReference/cbc:ID is missing', '/ApplicationResponse/cac:DocumentResponse'));
  if (issues.length) throw new ApplicationResponseError(issues);

  const statuses = [
    ...asArray(response?.Status),
    ...asArray(documentResponse?.LineResponse).flatMap((line) => asArray((line.Response as Node | undefined)?.Status)),
  ];
  const reasons = statuses
    .map((s) => [text(s.StatusReasonCode), text(s.StatusReason)].filter(Boolean).join(' '))
    .filter(Boolean);
  const typeCode = text((documentResponse?.DocumentReference as Node[])[0]?.DocumentTypeCode);
  const endpoint = (root.ReceiverParty as Node | undefined)?.EndpointID;
  const endpointId = text(endpoint);
  const endpointScheme = typeof endpoint === 'object' && endpoint ? ((endpoint as Node)['@_schemeID'] as string | undefined) : undefined;
  const effective = text(response?.EffectiveDate);
  const issueDate = text(root.IssueDate);
  const issueTime = text(root.IssueTime);
  return {
    kind,
    code: code!,
    reason: reasons.length ? [...new Set(reasons)].join('; ') : undefined,
    at: instant(effective ?? issueDate, effective ? undefined : issueTime),
    documentReference: reference!,
    documentType: typeCode === '380' ? 'invoice' : typeCode === '381' ? 'creditNote' : undefined,
    receiver: endpointId ? `${endpointScheme ?? '0192'}:${endpointId}` : undefined,
  };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && '#text' in value) return text((value as Node)['#text']);
  return undefined;
}

function asArray(value: unknown): Node[] {
  return Array.isArray(value) ? (value as Node[]) : value && typeof value === 'object' ? [value as Node] : [];
}

/** A UBL date (and time, which may carry a zone) as an instant; a date alone is taken at noon UTC so it stays that date. */
function instant(date: string | undefined, time: string | undefined): string | undefined {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const t = time && /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(time) ? time : '12:00:00';
  const parsed = new Date(`${date}T${t}${/(Z|[+-]\d{2}:\d{2})$/.test(t) ? '' : 'Z'}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

function issue(rule: string, message: string, path: string): ValidationIssue {
  return { rule, severity: 'fatal', message, path };
}
