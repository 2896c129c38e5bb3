/**
 * Length limits for every text field of our invoice JSON, checked on the body as the ERP sent it, before anything
 * else reads it (docs/invoice-json.md "Length limits", the OpenAPI schema's maxLength).
 *
 * Why: one name of 50,000 characters reached the PDF typesetting and stalled the product (issue 9, defect 1), and a
 * 4 kB customer number broke a PostgreSQL index (row size). EN 16931 sets no lengths of its own; the limits follow UBL
 * practice and what receivers store: identifiers and references ≤ 200 (UBL identifiers are typically short; ours
 * become parts of database keys), codes and numbers ≤ 50, names and address lines ≤ 300, descriptions ≤ 1,000,
 * notes ≤ 5,000 (BT-22) and 2,000 (BT-127), URIs ≤ 2,000. Any other string, also in a field we ignore, ≤ 1,000.
 * Attachment content (`contentBase64`) is bounded by BODY_LIMIT only.
 *
 * C0 control characters other than tab, line feed and carriage return are refused in every string: XML 1.0 cannot
 * carry them (so no EHF could), and PostgreSQL text cannot hold NUL.
 */
import { issue, type ValidationIssue } from '../validation/issue.js';

export const LENGTH_RULE = 'FF-LENGTH';
export const CONTROL_RULE = 'FF-TEXT-CONTROL';

const ID = 200;
const CODE = 50;
const NAME = 300;
const DESCRIPTION = 1000;

/** Most characters a string may have, by its field name (the parent field's name for entries of a list of strings). */
export const TEXT_LIMITS: Readonly<Record<string, number>> = {
  // identifiers and references (BT-1, BT-10…BT-19, BT-25, BT-71, BT-83, BT-122, BT-126, BT-132, BT-155, BT-157, BT-158)
  invoiceNumber: ID, buyerReference: ID, orderReference: ID, salesOrderReference: ID, contractReference: ID,
  projectReference: ID, accountingCost: ID, orderLineReference: ID, sellerItemId: ID, remittanceInformation: ID,
  locationId: ID, id: ID, code: ID, profileId: ID,
  // codes, party and account numbers (index keys: customerNumber is part of the eFaktura agreement key)
  taxId: CODE, vatId: CODE, customerNumber: CODE, nationalId: CODE, phone: CODE, kid: CODE, account: CODE, iban: CODE,
  bic: CODE, currency: CODE, taxCurrency: CODE, country: CODE, originCountry: CODE, unitCode: CODE, taxCode: CODE,
  typeCode: CODE, documentType: CODE, meansCode: CODE, reasonCode: CODE, exemptionReasonCode: CODE,
  documentTypeCode: CODE, idSchemeId: CODE, schemeId: CODE, endpointSchemeId: CODE, locationSchemeId: CODE,
  listId: CODE, listVersionId: CODE, postalCode: CODE, category: CODE, kind: CODE,
  endpointId: 100, otherAccount: 100, branch: 100, tags: 100, mimeCode: 100,
  // names and address lines (BT-27, BT-28, BT-35…BT-41, BT-44, BT-45, BT-50…BT-56, BT-59, BT-70, BT-85, BT-125-2)
  name: NAME, legalName: NAME, partyName: NAME, accountName: NAME, street: NAME, additionalStreet: NAME, city: NAME,
  countrySubdivision: NAME, filename: NAME,
  email: 320, // RFC 5321: 64 local part + @ + 255 domain
  // descriptions and free text (BT-20, BT-33, BT-97, BT-104, BT-120, BT-123, BT-139, BT-144, BT-153, BT-154, BT-161)
  description: DESCRIPTION, itemDescription: DESCRIPTION, reason: DESCRIPTION, exemptionReason: DESCRIPTION,
  value: DESCRIPTION, companyLegalForm: DESCRIPTION, terms: DESCRIPTION,
  notes: 5000, // BT-22
  note: 2000, // BT-127
  uri: 2000, // BT-124
};

/** Any string not named above, also in a field we ignore. */
export const DEFAULT_TEXT_LIMIT = DESCRIPTION;
/** Fields bounded by BODY_LIMIT alone. */
const UNLIMITED = new Set(['contentBase64']);
/** One answer names at most this many fields; a body with more is refused all the same. */
const MAX_ISSUES = 50;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** The strings of a parsed JSON body that are too long or hold control characters, with their JSON pointers. */
export function checkTextLimits(body: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  // An explicit stack, not recursion: a body nested 20,000 deep must get its answer, not a stack overflow.
  const stack: { value: unknown; field: string; path: string }[] = [{ value: body, field: '', path: '' }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { value, field, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (UNLIMITED.has(field)) continue;
      const limit = TEXT_LIMITS[field] ?? DEFAULT_TEXT_LIMIT;
      // UTF-16 length first (cheap); characters are counted as code points, so æ, ø, å and emoji count once.
      if (value.length > limit) {
        const characters = codePoints(value);
        if (characters > limit) issues.push(issue(LENGTH_RULE, `${path || '/'} has ${characters} characters; at most ${limit} are accepted here (docs/invoice-json.md, "Length limits").`, path || '/'));
      }
      if (CONTROL.test(value)) issues.push(issue(CONTROL_RULE, `${path || '/'} contains a control character (such as NUL); only tab, line feed and carriage return are allowed.`, path || '/'));
      continue;
    }
    // Children are pushed in reverse, so that findings come in document order.
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) stack.push({ value: value[index], field, path: `${path}/${index}` });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let k = entries.length - 1; k >= 0; k--) {
        const [key, item] = entries[k]!;
        stack.push({ value: item, field: key, path: `${path}/${pointerEscape(key)}` });
      }
    }
  }
  return issues;
}

/** Code points: a surrogate pair (an emoji) is one character. */
function codePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) count++;
  }
  return count;
}

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
