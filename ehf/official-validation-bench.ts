/**
 * Timings of the official validation, per layer: `tsx ehf/official-validation-bench.ts [runs]`.
 * Start-up (SEF loading, schema compilation), a typical invoice once warm (median of `runs`, default 20), and the
 * derived 100- and 1000-line invoices from ../shared/conformance/derived-perf.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runSchematron } from './official-schematron.js';
import { validateUblOfficial, warmUpOfficialValidation } from './official-validation.js';
import { validateUblXsd } from './official-xsd.js';

const conformance = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const runs = Number(process.argv[2] ?? 20);

const documents = [
  ['base-example (3.0.21)', 'openpeppol-bis-billing-3.0.21-examples/base-example.xml', runs],
  ['Norwegian example', 'openpeppol-bis-billing-3.0.19/rules/national-examples/NO/Norwegian-example-1.xml', runs],
  ['100 lines', 'derived-perf/big-100-lines.xml', 3],
  ['1000 lines', 'derived-perf/big-1000-lines.xml', 1],
] as const;

function ms(start: number): number {
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(run: () => unknown, times: number): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    samples.push(ms(start));
  }
  return median(samples);
}

const start = performance.now();
const versions = warmUpOfficialValidation();
console.log(`official validation: UBL ${versions.ubl}, CEN ${versions.cen}, Peppol ${versions.peppol}; start-up ${ms(start).toFixed(0)} ms`);
console.log('document                     lines  xsd ms   cen ms  peppol ms   total ms (validateUblOfficial)');
for (const [label, file, times] of documents) {
  const xml = readFileSync(`${conformance}${file}`, 'utf8');
  const lines = (xml.match(/<cac:InvoiceLine>/g) ?? []).length;
  const xsd = time(() => validateUblXsd(xml), times);
  const cen = time(() => runSchematron('cen', xml), times);
  const peppol = time(() => runSchematron('peppol', xml), times);
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const begin = performance.now();
    await validateUblOfficial(xml);
    samples.push(ms(begin));
  }
  console.log(
    `${label.padEnd(28)} ${String(lines).padStart(5)} ${xsd.toFixed(0).padStart(7)} ${cen.toFixed(0).padStart(8)} ${peppol.toFixed(0).padStart(10)} ${median(samples).toFixed(0).padStart(10)}`,
  );
}
