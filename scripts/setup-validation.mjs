#!/usr/bin/env node
// Fetches the official EHF / Peppol BIS Billing 3.0 validation artefacts from Maven Central (the only
// place besides npm this project may download from), unpacks what the validator needs into
// .tools/validation/ (git-ignored) and compiles the Schematron XSLT to SaxonJS SEF files, so that
// ehf/official-validation.ts runs the three official layers without Java at run time:
//   1. UBL 2.1 XSD            (com.helger.ubl:ph-ubl21 + the four schemas it imports, from com.helger.xsd)
//   2. CEN EN 16931 UBL 1.3.16 (compiled Schematron XSLT, as bundled in the Peppol 3.0.21 release)
//   3. Peppol BIS Billing 3.0.21 (compiled Schematron XSLT; holds the NO-R rules)
// A second run with the same pins reuses what is there (marker file), so `npm install` stays fast.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const PEPPOL_RULES = { groupId: 'com.helger.phive.rules', artifactId: 'phive-rules-peppol', version: '4.3.7' };
const UBL_SCHEMAS = { groupId: 'com.helger.ubl', artifactId: 'ph-ubl21', version: '10.2.0' };
// ph-ubl21 drops schemaLocation from these imports (Java resolves them from the classpath); the schemas
// themselves ship in these jars, which ph-ubl21 10.2.0 depends on.
const IMPORTED_SCHEMAS = [
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-ccts-cct-schemamodule', version: '4.1.0', entry: 'schemas/CCTS_CCT_SchemaModule.xsd', file: 'CCTS_CCT_SchemaModule-2.1.xsd', namespace: 'urn:un:unece:uncefact:data:specification:CoreComponentTypeSchemaModule:2' },
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-xmldsig', version: '4.1.0', entry: 'schemas/xmldsig-core-schema.xsd', file: 'UBL-xmldsig-core-schema-2.1.xsd', namespace: 'http://www.w3.org/2000/09/xmldsig#' },
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-xades132', version: '4.1.0', entry: 'schemas/XAdES01903v132-201601.xsd', file: 'UBL-XAdESv132-2.1.xsd', namespace: 'http://uri.etsi.org/01903/v1.3.2#' },
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-xades141', version: '4.1.0', entry: 'schemas/XAdES01903v141-201601.xsd', file: 'UBL-XAdESv141-2.1.xsd', namespace: 'http://uri.etsi.org/01903/v1.4.1#' },
];
export const VALIDATION_ARTEFACTS = [PEPPOL_RULES, UBL_SCHEMAS, ...IMPORTED_SCHEMAS.map(({ groupId, artifactId, version }) => ({ groupId, artifactId, version }))];

// phive-rules-peppol 4.3.7 names the 2026.5 set "aka BIS Billing 3.0.21" (PeppolValidation2026_05); its
// CEN-EN16931-UBL.xslt is byte-identical to phive-rules-en16931 4.3.7's 1.3.16 XSLT apart from the
// licence/version header comment. The sha256 pins make a wrong entry or a changed jar fail loudly.
export const SCHEMATRON_LAYERS = [
  { id: 'cen', name: 'CEN EN 16931 UBL Schematron', version: '1.3.16', entry: 'external/schematron/openpeppol/2026.5/xslt/CEN-EN16931-UBL.xslt', sha256: 'a8a54aef3699057a3820cd2ebcac8ea3c364a6ebaf4a237e62064a5bc2877c4a' },
  { id: 'peppol', name: 'Peppol BIS Billing 3.0 Schematron', version: '3.0.21', entry: 'external/schematron/openpeppol/2026.5/xslt/PEPPOL-EN16931-UBL.xslt', sha256: '8c6b935b1bc0bb17d29d949b0aa27ecc62021b613b9fba173cd6bfec6b3f0008', rewrite: { name: 'hoisted', description: 'SE-R document-level predicates in match patterns hoisted to global variables', apply: hoistPeppolDocumentPredicates } },
];

// The Swedish rules (SE-R-*) of Peppol 3.0.21 match e.g. `//cac:ClassifiedTaxCategory[//cac:AccountingSupplierParty
// /cac:Party[…'SE'…] and …]`: the predicate scans the whole document once per tax category, so a 1000-line
// invoice takes ~22 s in SaxonJS (Saxon-Java lifts such loop-invariant paths itself; SaxonJS does not).
// We hoist those three document-level paths into global variables, which is the same node set (the global
// context item is the validated document) evaluated once: 1000 lines take ~2 s. Only `match` patterns are
// touched, not assert tests or messages; the SE unit tests in the conformance suite cover every rewritten rule.
const PEPPOL_HOISTED_PATHS = [
  { variable: 'ff-se-supplier-vat', path: "//cac:AccountingSupplierParty/cac:Party[cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE' and cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/substring(cbc:CompanyID, 1, 2) = 'SE']" },
  { variable: 'ff-se-supplier', path: "//cac:AccountingSupplierParty/cac:Party[cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE']" },
  { variable: 'ff-se-customer', path: "//cac:AccountingCustomerParty/cac:Party[cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE']" },
];
const PEPPOL_HOISTED_USES = 7;

export function hoistPeppolDocumentPredicates(xslt) {
  let uses = 0;
  const rewritten = xslt.replace(/ match="([^"]*)"/g, (_whole, pattern) => {
    for (const { variable, path } of PEPPOL_HOISTED_PATHS) {
      for (const before of ['[', 'and ']) {
        uses += pattern.split(before + path).length - 1;
        pattern = pattern.replaceAll(before + path, `${before}$${variable}`);
      }
    }
    return ` match="${pattern}"`;
  });
  if (uses !== PEPPOL_HOISTED_USES) throw new Error(`expected ${PEPPOL_HOISTED_USES} document-level predicates to hoist in the Peppol XSLT, found ${uses}`);
  const declarations = PEPPOL_HOISTED_PATHS.map(({ variable, path }) => `<xsl:variable name="${variable}" select="${path}" />\n`).join('');
  const anchor = '<!--DEFAULT RULES-->';
  if (!rewritten.includes(anchor)) throw new Error(`Peppol XSLT has no ${anchor} comment to place the hoisted variables before`);
  return rewritten.replace(anchor, declarations + anchor);
}

const UBL_MAIN_SCHEMAS = ['UBL-Invoice-2.1.xsd', 'UBL-CreditNote-2.1.xsd'];
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
// Bump when the layout under .tools/validation changes, so an old copy is rebuilt.
const LAYOUT = 2;

const coordinates = ({ groupId, artifactId, version }) => `${groupId}:${artifactId}:${version}`;
const jarName = ({ artifactId, version }) => `${artifactId}-${version}.jar`;
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const log = (line) => console.log(`[setup] validation: ${line}`);

export const validationDir = (root) => join(root, '.tools', 'validation');

/** The files ehf/official-validation.ts reads; all must exist for a copy to count as installed. */
export function validationFiles(dir) {
  return {
    versions: join(dir, 'versions.json'),
    xsd: Object.fromEntries(UBL_MAIN_SCHEMAS.map((name) => [name, join(dir, 'xsd', 'maindoc', name)])),
    sef: Object.fromEntries(SCHEMATRON_LAYERS.map((layer) => [layer.id, join(dir, 'sef', `${layer.id}.sef.json`)])),
  };
}

function wantedMarker() {
  return JSON.stringify({ layout: LAYOUT, artefacts: VALIDATION_ARTEFACTS.map(coordinates), layers: SCHEMATRON_LAYERS.map((l) => `${l.id}@${l.version}:${l.sha256}:${l.rewrite?.name ?? 'as-published'}`) });
}

function isInstalled(dir) {
  const marker = join(dir, '.installed');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== wantedMarker()) return false;
  const files = validationFiles(dir);
  return [files.versions, ...Object.values(files.xsd), ...Object.values(files.sef)].every((file) => existsSync(file));
}

function requireTool(command, args, fix) {
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`${command} is missing or broken (${probe.error?.message ?? (probe.stderr || probe.stdout).trim().split('\n')[0]}): ${fix}, then run \`npm run setup\`.`);
  }
}

function mavenPom(artefacts) {
  const dependencies = artefacts
    .map((a) => `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></dependency>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.fakturaflyt</groupId>
  <artifactId>validation-artefacts</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}

/** One `mvn` run for all jars: a throwaway pom listing them, copied without their transitive dependencies. */
function fetchJars(workDir) {
  const jarsDir = join(workDir, 'jars');
  writeFileSync(join(workDir, 'pom.xml'), mavenPom(VALIDATION_ARTEFACTS));
  const args = ['-B', '-q', '-Dstyle.color=never', '-f', join(workDir, 'pom.xml'), `${DEPENDENCY_PLUGIN}:copy-dependencies`, `-DoutputDirectory=${jarsDir}`, '-DexcludeTransitive=true'];
  const run = spawnSync('mvn', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) {
    // Maven's first error line names the artefact and the repository; the rest is boilerplate.
    const errors = `${run.stdout ?? ''}\n${run.stderr ?? ''}`
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .filter((l) => /^\[ERROR\] \S/.test(l));
    const cause = (errors.find((l) => /Could not|Failed to/.test(l)) ?? errors[0] ?? run.error?.message ?? `exit ${run.status}`)
      .replace(/^\[ERROR\] /, '')
      .replace(/ -> \[Help 1\]$/, '');
    throw new Error(`mvn could not fetch the validation artefacts (is Maven Central or the mirror in ~/.m2/settings.xml reachable?): ${cause}`);
  }
  return jarsDir;
}

/** Reads the named entries of a jar (a zip file) with node:zlib, so setup needs neither `unzip` nor `jar`. */
export function readZipEntries(zip, names) {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory)');
  const found = new Map();
  let offset = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    if (!names(name)) continue;
    // The local header repeats name and extra field with lengths that may differ from the central ones.
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    if (method === 0) found.set(name, Buffer.from(data));
    else if (method === 8) found.set(name, inflateRawSync(data));
    else throw new Error(`zip entry ${name} uses unsupported compression method ${method}`);
  }
  return found;
}

function unpackSchemas(jarsDir, outDir) {
  const ublJar = readFileSync(join(jarsDir, jarName(UBL_SCHEMAS)));
  const entries = readZipEntries(ublJar, (name) => /^external\/schemas\/ubl21\/common\/[^/]+\.xsd$/.test(name) || UBL_MAIN_SCHEMAS.some((m) => name === `external/schemas/ubl21/maindoc/${m}`));
  const locationOf = new Map(IMPORTED_SCHEMAS.map((s) => [s.namespace, s.file]));
  for (const schema of IMPORTED_SCHEMAS) {
    const found = readZipEntries(readFileSync(join(jarsDir, jarName(schema))), (name) => name === schema.entry).get(schema.entry);
    if (!found) throw new Error(`${coordinates(schema)} has no ${schema.entry}`);
    entries.set(`external/schemas/ubl21/common/${schema.file}`, found);
  }
  for (const [entry, data] of entries) {
    const relative = entry.replace('external/schemas/ubl21/', '');
    // libxml2 resolves imports only through schemaLocation; point each bare import at its sibling file.
    const text = data.toString('utf8').replace(/<xsd:import\s+namespace\s*=\s*"([^"]+)"\s*\/>/g, (whole, namespace) => {
      const file = locationOf.get(namespace);
      if (!file) throw new Error(`${entry}: import of ${namespace} has no schemaLocation and no known schema`);
      return `<xsd:import namespace="${namespace}" schemaLocation="${relative.startsWith('maindoc/') ? '../common/' : ''}${file}"/>`;
    });
    const target = join(outDir, 'xsd', relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return entries.size;
}

function unpackSchematron(jarsDir, outDir) {
  const entries = readZipEntries(readFileSync(join(jarsDir, jarName(PEPPOL_RULES))), (name) => SCHEMATRON_LAYERS.some((l) => l.entry === name));
  mkdirSync(join(outDir, 'xslt'), { recursive: true });
  return SCHEMATRON_LAYERS.map((layer) => {
    const data = entries.get(layer.entry);
    if (!data) throw new Error(`${coordinates(PEPPOL_RULES)} has no ${layer.entry}`);
    const digest = sha256(data);
    if (digest !== layer.sha256) throw new Error(`${layer.entry} in ${coordinates(PEPPOL_RULES)} has sha256 ${digest}, expected ${layer.sha256} (${layer.name} ${layer.version})`);
    // Keep the published XSLT beside the one we compile, so the rewrite can be diffed.
    writeFileSync(join(outDir, 'xslt', `${layer.id}.xslt`), data);
    if (!layer.rewrite) return { layer, file: join(outDir, 'xslt', `${layer.id}.xslt`) };
    const file = join(outDir, 'xslt', `${layer.id}.${layer.rewrite.name}.xslt`);
    writeFileSync(file, layer.rewrite.apply(data.toString('utf8')));
    return { layer, file };
  });
}

const xslt3Path = (root) => join(root, 'node_modules', 'xslt3', 'xslt3.js');

function compileSef(root, xsltFile, sefFile) {
  const xslt3 = xslt3Path(root);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [xslt3, `-xsl:${xsltFile}`, `-export:${sefFile}`, '-nogo', '-relocate:on'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && existsSync(sefFile) ? resolve() : reject(new Error(`xslt3 failed to compile ${xsltFile} (exit ${code}):\n${output.trim()}`))));
  });
}

function readXslt3Version(root) {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'xslt3', 'package.json'), 'utf8')).version;
}

export async function setupValidation({ root }) {
  const dir = validationDir(root);
  if (isInstalled(dir)) {
    log(`present in ${dir} (CEN ${SCHEMATRON_LAYERS[0].version}, Peppol BIS Billing ${SCHEMATRON_LAYERS[1].version}, UBL 2.1)`);
    return;
  }
  const started = Date.now();
  requireTool('java', ['-version'], 'install a Java runtime (Debian: apt-get install -y openjdk-17-jre-headless)');
  requireTool('mvn', ['-v'], 'install Maven (Debian: apt-get install -y maven)');
  if (!existsSync(xslt3Path(root))) throw new Error(`${xslt3Path(root)} is missing: run \`npm install\` first (the xslt3 package compiles the Schematron XSLT).`);
  const workDir = mkdtempSync(join(tmpdir(), 'fakturaflyt-validation-'));
  const building = `${dir}.building-${process.pid}`;
  try {
    log(`fetching ${VALIDATION_ARTEFACTS.map(coordinates).join(', ')} with mvn`);
    const jarsDir = fetchJars(workDir);
    const jars = VALIDATION_ARTEFACTS.map((a) => {
      const file = join(jarsDir, jarName(a));
      if (!existsSync(file)) throw new Error(`mvn did not deliver ${jarName(a)}`);
      return { coordinates: coordinates(a), bytes: statSync(file).size, sha256: sha256(readFileSync(file)) };
    });
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const schemaCount = unpackSchemas(jarsDir, building);
    log(`unpacked ${schemaCount} UBL 2.1 schema files`);
    const xslts = unpackSchematron(jarsDir, building);
    mkdirSync(join(building, 'sef'), { recursive: true });
    log(`compiling ${xslts.map(({ layer }) => `${layer.name} ${layer.version}`).join(' and ')} to SEF with xslt3 (takes ~15 s)`);
    const sefs = validationFiles(building).sef;
    await Promise.all(xslts.map(({ layer, file }) => compileSef(root, file, sefs[layer.id])));
    const versions = {
      ubl: { name: 'OASIS UBL 2.1 XSD', version: '2.1', source: coordinates(UBL_SCHEMAS), imports: IMPORTED_SCHEMAS.map(coordinates) },
      ...Object.fromEntries(
        xslts.map(({ layer }) => [layer.id, { name: layer.name, version: layer.version, source: `${coordinates(PEPPOL_RULES)}!/${layer.entry}`, sha256: layer.sha256, ...(layer.rewrite && { rewrite: layer.rewrite.description }) }]),
      ),
      compiler: `xslt3 ${readXslt3Version(root)}`,
      artefacts: jars,
    };
    writeFileSync(join(building, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
    writeFileSync(join(building, '.installed'), wantedMarker());
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
    log(`installed in ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    rmSync(building, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  setupValidation({ root }).catch((err) => {
    console.error(`[setup] validation failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
