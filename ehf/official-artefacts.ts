/**
 * Where the official validation artefacts live and which versions they are. `npm install` (scripts/setup-validation.mjs)
 * fetches them from Maven Central into `.tools/validation/`; `EHF_VALIDATION_DIR` points elsewhere (e.g. an image that
 * ships them pre-built).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SchematronLayer = 'cen' | 'peppol';

/** What a validation result was checked against; workflows record it beside the result. */
export interface OfficialValidationVersions {
  /** OASIS UBL XSD version, `2.1`. */
  ubl: string;
  /** CEN EN 16931 UBL Schematron, e.g. `1.3.16`. */
  cen: string;
  /** Peppol BIS Billing 3.0 Schematron (with the NO-R rules), e.g. `3.0.21`. */
  peppol: string;
  /** Maven coordinates the artefacts came from. */
  artefacts: string[];
}

export class OfficialArtefactsMissingError extends Error {
  constructor(dir: string, missing: string) {
    super(
      `Official EHF validation artefacts are missing (${missing} in ${dir}): run \`npm run setup\` ` +
        '(needs Java and Maven; it fetches phive-rules-peppol and ph-ubl21 from Maven Central), or set EHF_VALIDATION_DIR.',
    );
    this.name = 'OfficialArtefactsMissingError';
  }
}

export const officialArtefactsDir = (): string =>
  process.env.EHF_VALIDATION_DIR ?? fileURLToPath(new URL('../.tools/validation/', import.meta.url));

/** Absolute path of an artefact file, or a clear error saying how to get it. */
export function officialArtefact(...relative: string[]): string {
  const dir = officialArtefactsDir();
  const file = join(dir, ...relative);
  if (!existsSync(file)) throw new OfficialArtefactsMissingError(dir, relative.join('/'));
  return file;
}

interface LayerEntry {
  version: string;
  source: string;
  /** Setup's verdict on running several documents in one transformation (scripts/setup-validation.mjs, documentsTogether). */
  documentsTogether?: { allowed: boolean; reason: string };
}

interface VersionsFile {
  ubl: { version: string; source: string; imports: string[] };
  cen: LayerEntry;
  peppol: LayerEntry;
  artefacts: { coordinates: string }[];
}

let versionsFile: VersionsFile | undefined;

function readVersionsFile(): VersionsFile {
  versionsFile ??= JSON.parse(readFileSync(officialArtefact('versions.json'), 'utf8')) as VersionsFile;
  return versionsFile;
}

/** Whether setup found that the layer may run on several documents in one transformation; no when it did not say. */
export function documentsTogether(layer: SchematronLayer): boolean {
  return readVersionsFile()[layer].documentsTogether?.allowed === true;
}

let versions: OfficialValidationVersions | undefined;

export function officialValidationVersions(): OfficialValidationVersions {
  if (!versions) {
    const file = readVersionsFile();
    versions = {
      ubl: file.ubl.version,
      cen: file.cen.version,
      peppol: file.peppol.version,
      artefacts: file.artefacts.map((a) => a.coordinates),
    };
  }
  return versions;
}
