/**
 * The receiver lookup of the embedded default (PEPPOL_LOOKUP=sandbox): the local participant registry
 * (`peppol_participants`, filled through the sandbox API or a CSV import) answers where the SML/SMP would. It is
 * authoritative for this installation, so no TTL applies; see lookup-cache.ts for how it relates to the cache.
 */
import type { Db } from '../../archive/database.js';
import type { DocumentType } from '../../invoice/model.js';
import type { PeppolLookup, PeppolLookupResult } from './lookup.js';

export interface RegistryEntry {
  participant: string;
  name: string;
  documentTypes: DocumentType[];
}

export class SandboxPeppolLookup implements PeppolLookup {
  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  async lookup(participant: string, documentType: DocumentType): Promise<PeppolLookupResult> {
    // Peppol identifier values compare case-insensitively (Policy for use of Identifiers); ours are digits anyway.
    const result = await this.db.query<{ document_types: DocumentType[] }>('SELECT document_types FROM peppol_participants WHERE lower(identifier) = lower($1)', [participant]);
    const checkedAt = this.now().toISOString();
    const row = result.rows[0];
    if (!row) return { status: 'not_registered', participant, documentTypes: [], checkedAt, reason: 'not in the local participant registry', source: 'registry' };
    const documentTypes = [...row.document_types];
    if (!documentTypes.includes(documentType)) {
      return { status: 'document_type_not_registered', participant, documentTypes, checkedAt, reason: `registered in the local registry without ${documentType}`, source: 'registry' };
    }
    return { status: 'registered', participant, documentTypes, checkedAt, source: 'registry' };
  }

  /** Registers many participants at once: all or none (a CSV import with one bad line changes nothing). */
  async importEntries(entries: readonly RegistryEntry[]): Promise<number> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      for (const entry of entries) await registerParticipant(client, entry.participant, entry.name, entry.documentTypes);
      await client.query('COMMIT');
      return entries.length;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }
}

/** One participant into the registry (insert or replace). */
export async function registerParticipant(db: Pick<Db, 'query'>, participant: string, name: string, documentTypes: readonly DocumentType[]): Promise<void> {
  await db.query(
    `INSERT INTO peppol_participants (identifier, name, document_types) VALUES ($1, $2, $3)
     ON CONFLICT (identifier) DO UPDATE SET name = EXCLUDED.name, document_types = EXCLUDED.document_types, updated_at = now()`,
    [participant, name, documentTypes],
  );
}
