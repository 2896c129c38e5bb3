/** Participant ids and the registry's CSV import format: what is accepted, and every refusal with its line. */
import { describe, expect, it } from 'vitest';
import { parseParticipantCsv } from '../../../channels/peppol/participant-csv.js';
import { checkParticipant } from '../../../channels/peppol/participant-id.js';
import { createPeppolLookup } from '../../../channels/peppol/create-lookup.js';
import { loadConfig } from '../../../main/config.js';
import type { Db } from '../../../archive/database.js';

describe('participant ids', () => {
  it.each([
    ['0192:987654325', '0192:987654325'],
    ['iso6523-actorid-upis::0192:987654325', '0192:987654325'],
    [' 0088:5798000000001 ', '0088:5798000000001'],
  ])('%s → %s', (input, expected) => {
    expect(checkParticipant(input)).toEqual({ ok: true, participant: expected });
  });

  it.each([['0192:987654326', /organisation number/], ['987654325', /<ICD>:<id>/], ['192:987654325', /<ICD>:<id>/], ['0192:', /<ICD>:<id>/], ['0192:98765 4325', /<ICD>:<id>/]])(
    '%s is refused',
    (input, reason) => {
      const checked = checkParticipant(input);
      expect(checked.ok).toBe(false);
      expect((checked as { reason: string }).reason).toMatch(reason);
    },
  );
});

describe('participant CSV', () => {
  it('reads quoted names, ; or space separated types, empty = both, CRLF and a BOM', () => {
    const parsed = parseParticipantCsv('\uFEFFIdentifier,Name,DocumentTypes\r\n0192:987654325,"Bergen ""Bygg"", AS",invoice creditNote\r\n0192:995525828,Only,invoice\r\n0192:988077917,Both,\r\n\r\n');
    expect(parsed).toEqual({
      ok: true,
      entries: [
        { participant: '0192:987654325', name: 'Bergen "Bygg", AS', documentTypes: ['invoice', 'creditNote'] },
        { participant: '0192:995525828', name: 'Only', documentTypes: ['invoice'] },
        { participant: '0192:988077917', name: 'Both', documentTypes: ['invoice', 'creditNote'] },
      ],
    });
  });

  it('names every bad line and imports none', () => {
    const parsed = parseParticipantCsv('identifier,name,documentTypes\n0192:987654325,A,invoice\n0192:987654326,B,invoice\n0192:995525828,C\n0192:987654325,D,invoice\n0192:988077917,E,order\n');
    expect(parsed.ok).toBe(false);
    expect((parsed as { errors: { rule: string; path: string }[] }).errors.map((e) => [e.rule, e.path])).toEqual([
      ['FF-PEPPOL-PARTICIPANT', 'line 3'],
      ['FF-CSV-FIELDS', 'line 4'],
      ['FF-CSV-DUPLICATE', 'line 5'],
      ['FF-CSV-DOCUMENT-TYPE', 'line 6'],
    ]);
  });

  it('wants the header', () => {
    expect(parseParticipantCsv('0192:987654325,A,invoice\n')).toMatchObject({ ok: false, errors: [{ rule: 'FF-CSV-HEADER', path: 'line 1' }] });
  });
});

describe('configuration of the lookup', () => {
  const db = {} as Db;

  it('PEPPOL_LOOKUP=sml without PEPPOL_SMP_TRUSTSTORE stops the start with what to set', () => {
    expect(() => createPeppolLookup(loadConfig({ PEPPOL_LOOKUP: 'sml' }).peppol, db)).toThrow(/PEPPOL_SMP_TRUSTSTORE/);
    expect(() => createPeppolLookup(loadConfig({ PEPPOL_LOOKUP: 'sml', PEPPOL_SMP_TRUSTSTORE: '/nonexistent.pem' }).peppol, db)).toThrow(/cannot be read/);
  });

  it('parses the TTLs as ISO 8601 durations, with defaults', () => {
    expect(loadConfig({}).peppol).toMatchObject({ lookup: 'sandbox', lookupTtlMs: 3_600_000, notFoundTtlMs: 900_000 });
    expect(loadConfig({ PEPPOL_LOOKUP_TTL: 'P1D', PEPPOL_NOT_FOUND_TTL: 'PT30S' }).peppol).toMatchObject({ lookupTtlMs: 86_400_000, notFoundTtlMs: 30_000 });
    expect(() => loadConfig({ PEPPOL_LOOKUP_TTL: '1h' })).toThrow(/PEPPOL_LOOKUP_TTL/);
  });
});
