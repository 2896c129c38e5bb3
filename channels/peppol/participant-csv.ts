/**
 * The CSV import format of the local participant registry: a header line `identifier,name,documentTypes`, then
 * one participant a line; documentTypes lists `invoice` and/or `creditNote` separated by `;` or spaces (empty =
 * both). Fields may be quoted as RFC 4180 says ("Acme, Inc."). Every problem is reported with its line, and one
 * bad line rejects the whole file: a half-imported registry would route some receivers wrongly without telling.
 */
import type { DocumentType } from '../../invoice/model.js';
import type { ValidationIssue } from '../../validation/issue.js';
import { checkParticipant } from './participant-id.js';
import type { RegistryEntry } from './sandbox-lookup.js';

const HEADER = ['identifier', 'name', 'documenttypes'];
const TYPES: Record<string, DocumentType> = { invoice: 'invoice', creditnote: 'creditNote' };

export type CsvImport = { ok: true; entries: RegistryEntry[] } | { ok: false; errors: ValidationIssue[] };

export function parseParticipantCsv(text: string): CsvImport {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  const errors: ValidationIssue[] = [];
  const issue = (line: number, rule: string, message: string) => errors.push({ rule, severity: 'fatal', message, path: `line ${line}` });
  const header = rows[0];
  if (!header || header.fields.map((f) => f.trim().toLowerCase()).join(',') !== HEADER.join(',')) {
    issue(1, 'FF-CSV-HEADER', 'the first line must be the header identifier,name,documentTypes');
    return { ok: false, errors };
  }
  const entries: RegistryEntry[] = [];
  const seen = new Map<string, number>();
  for (const row of rows.slice(1)) {
    if (row.fields.length === 1 && row.fields[0].trim() === '') continue;
    if (row.fields.length !== 3) {
      issue(row.line, 'FF-CSV-FIELDS', `expected 3 fields (identifier,name,documentTypes), found ${row.fields.length}`);
      continue;
    }
    const [identifier, name, types] = row.fields.map((f) => f.trim());
    const checked = checkParticipant(identifier);
    if (!checked.ok) {
      issue(row.line, 'FF-PEPPOL-PARTICIPANT', checked.reason);
      continue;
    }
    const words = types.split(/[;\s]+/).filter(Boolean);
    const unknown = words.filter((w) => !TYPES[w.toLowerCase()]);
    if (unknown.length) {
      issue(row.line, 'FF-CSV-DOCUMENT-TYPE', `unknown document type ${unknown.join(', ')}; use invoice and/or creditNote`);
      continue;
    }
    const key = checked.participant.toLowerCase();
    if (seen.has(key)) {
      issue(row.line, 'FF-CSV-DUPLICATE', `${checked.participant} is already on line ${seen.get(key)}`);
      continue;
    }
    seen.set(key, row.line);
    const documentTypes = words.length ? [...new Set(words.map((w) => TYPES[w.toLowerCase()]))] : (['invoice', 'creditNote'] as DocumentType[]);
    entries.push({ participant: checked.participant, name, documentTypes });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, entries };
}

/** RFC 4180 records with the line each starts on (a quoted field may span lines). */
function csvRows(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}
