/**
 * The Schematron layers compiled to JavaScript closures (feasibility prototype): the original skeleton XSLT of the CEN
 * and Peppol rules (.tools/validation/xslt/{cen,peppol}.xslt) is read and compiled once per process; each document is
 * parsed into a light tree and walked. Same findings as runSchematron in ../official-schematron.ts (id, flag, location,
 * text), or the XPathError Saxon's dynamic error would be.
 */
import type { SchematronLayer } from '../official-artefacts.js';
import { officialArtefact } from '../official-artefacts.js';
import type { SvrlFinding } from '../schematron-findings.js';
import { CompiledLayer } from './evaluator.js';
import { parseLightTree, type XDocument } from './light-tree.js';
import { readSchematronXslt } from './xslt-reader.js';

const layers = new Map<SchematronLayer, CompiledLayer>();

export function compiledLayer(layer: SchematronLayer): CompiledLayer {
  let compiled = layers.get(layer);
  if (!compiled) {
    compiled = new CompiledLayer(readSchematronXslt(officialArtefact('xslt', `${layer}.xslt`)));
    layers.set(layer, compiled);
  }
  return compiled;
}

export function runCompiledSchematron(layer: SchematronLayer, source: string | XDocument): SvrlFinding[] {
  return compiledLayer(layer).run(typeof source === 'string' ? parseLightTree(source) : source);
}

export { parseLightTree };
