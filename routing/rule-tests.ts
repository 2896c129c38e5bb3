/**
 * Rule tests, kept next to the rules in `*.test.yaml`:
 *
 *   base: {issueDate: 2026-09-01}          # optional: changes to the documented base facts for this file
 *   tests:
 *     - name: public buyer gets EHF
 *       given: {customer: {kind: public}}  # partial facts merged onto the base (or dotted: customer.kind: public)
 *       expect: {rule: public-peppol, plan: [peppol]}
 *     - name: an invoice as the ERP sends it
 *       invoice: {documentType: invoice, …}               # our invoice JSON; facts via invoice/json-input.ts
 *       given: {peppol: {registered: true, acceptsDocumentType: true}}   # lookups and overrides on top
 *       expect: {rule: business-peppol}
 *
 * `expect` names the rule id, the plan (same syntax as `then:`), or both. A failing test is an issue at its
 * `expect` with what was decided instead and the trace.
 */
import { isFatal, issue, type ValidationIssue } from '../validation/issue.js';
import { didYouMean } from './did-you-mean.js';
import { decide, type Decision } from './evaluate.js';
import { BASE_FACTS, mergeFacts, type FactProblem } from './fact-schema.js';
import type { RoutingFacts } from './facts.js';
import { factsFromInvoiceJson } from './invoice-facts.js';
import type { Plan } from './plan.js';
import { sortIssues } from './issue-order.js';
import { formatPlan, parsePlan, plansEqual } from './plan-syntax.js';
import type { RuleSet } from './rule-set.js';
import { childPointer, parseYamlSource, type LocatedDocument, type SourceFile } from './yaml-source.js';

export interface RuleTestCase {
  /** Label of the test file. */
  file: string;
  name: string;
  /** `file:line:col` of the test. */
  at: string;
  expectAt: string;
  /** Undefined when the given facts or the invoice could not be read (the issues say why). */
  facts?: RoutingFacts;
  expect: { ruleId?: string; ruleAt?: string; plan?: Plan };
}

export interface RuleTestFile {
  file: SourceFile;
  cases: RuleTestCase[];
  issues: ValidationIssue[];
}

export interface RuleTestResult {
  file: string;
  name: string;
  at: string;
  passed: boolean;
  /** What was decided, when the test could run. */
  decision?: Decision;
  message?: string;
}

export interface RuleTestReport {
  passed: number;
  failed: number;
  results: RuleTestResult[];
  /** Problems in the test files and one FF-RULE-TEST issue per failed test. */
  issues: ValidationIssue[];
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function factIssues(problems: readonly FactProblem[], doc: LocatedDocument, pointer: string): ValidationIssue[] {
  return problems.map((problem) => {
    const at = problem.onKey ? doc.keyAt(`${pointer}${problem.pointer}`) : doc.at(`${pointer}${problem.pointer}`);
    return issue('FF-RULE-TEST-FACT', problem.message, at);
  });
}

/** Reads a test file and prepares each case's facts; nothing is decided yet. */
export function readRuleTestFile(file: SourceFile): RuleTestFile {
  const parsed = parseYamlSource(file);
  const issues: ValidationIssue[] = [...parsed.issues];
  const cases: RuleTestCase[] = [];
  const { doc } = parsed;
  const fail = (rule: string, message: string, at: string, severity: 'fatal' | 'warning' = 'fatal'): void => {
    issues.push(issue(rule, message, at, severity));
  };
  if (issues.some(isFatal) || doc.value === null || doc.value === undefined) return { file, cases, issues };
  const top = doc.value;
  if (!isMap(top)) {
    fail('FF-RULE-TEST-STRUCTURE', 'A test file is a map with tests: [ … ] and optionally base: { … }.', doc.at(''));
    return { file, cases, issues };
  }
  for (const key of Object.keys(top)) {
    if (key !== 'base' && key !== 'tests' && key !== 'description') {
      const suggestion = didYouMean(key, ['base', 'tests', 'description']);
      fail('FF-RULE-TEST-STRUCTURE', `Unknown key '${key}' in a test file.${suggestion ? ` Did you mean '${suggestion}'?` : ''} Allowed: description, base, tests.`, doc.keyAt(childPointer('', key)));
    }
  }
  const baseMerge = mergeFacts(top.base ?? {}, BASE_FACTS);
  issues.push(...factIssues(baseMerge.problems, doc, '/base'));
  const base = baseMerge.facts;
  if (!Array.isArray(top.tests)) {
    fail('FF-RULE-TEST-STRUCTURE', 'tests is a list: each test starts with "- name: …".', doc.at('/tests'));
    return { file, cases, issues };
  }
  const names = new Map<string, string>();
  top.tests.forEach((raw, index) => {
    const pointer = childPointer('/tests', index);
    const at = doc.at(pointer);
    if (!isMap(raw)) {
      fail('FF-RULE-TEST-STRUCTURE', 'A test is a map with name, given and/or invoice, and expect.', at);
      return;
    }
    for (const key of Object.keys(raw)) {
      if (!['name', 'given', 'invoice', 'expect'].includes(key)) {
        const suggestion = didYouMean(key, ['name', 'given', 'invoice', 'expect'], { facts: 'given', when: 'given', then: 'expect', expected: 'expect' });
        fail('FF-RULE-TEST-STRUCTURE', `Unknown key '${key}' in a test.${suggestion ? ` Did you mean '${suggestion}'?` : ''} A test has name, given, invoice and expect.`, doc.keyAt(childPointer(pointer, key)));
      }
    }
    const name = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name.trim() : `test ${index + 1}`;
    if (typeof raw.name !== 'string' || raw.name.trim() === '') fail('FF-RULE-TEST-STRUCTURE', 'Give the test a name that says what it proves.', at, 'warning');
    const earlier = names.get(name);
    if (earlier !== undefined) fail('FF-RULE-TEST-STRUCTURE', `Another test is named '${name}' (${earlier}); names tell failures apart.`, at, 'warning');
    else names.set(name, at);

    let facts: RoutingFacts | undefined = base;
    if (raw.invoice !== undefined) {
      const invoicePointer = childPointer(pointer, 'invoice');
      const fromInvoice = factsFromInvoiceJson(raw.invoice);
      for (const found of fromInvoice.issues) {
        const inside = found.path.startsWith('/') ? `${invoicePointer}${found.path}` : invoicePointer;
        issues.push(issue(found.rule, `invoice: ${found.message}`, doc.at(inside), found.severity));
      }
      facts = fromInvoice.facts;
    }
    if (facts && raw.given !== undefined) {
      const merged = mergeFacts(raw.given, facts);
      issues.push(...factIssues(merged.problems, doc, childPointer(pointer, 'given')));
      facts = merged.problems.length === 0 ? merged.facts : undefined;
    }

    const expectPointer = childPointer(pointer, 'expect');
    const expectAt = doc.at(expectPointer);
    const expect: RuleTestCase['expect'] = {};
    let expectValid = true;
    if (!isMap(raw.expect) || (raw.expect.rule === undefined && raw.expect.plan === undefined)) {
      fail('FF-RULE-TEST-STRUCTURE', 'The test expects nothing; write expect: {rule: <rule id>, plan: [ … ]} (either or both).', isMap(raw.expect) ? expectAt : at);
      expectValid = false;
    } else {
      for (const key of Object.keys(raw.expect)) {
        if (key !== 'rule' && key !== 'plan') {
          expectValid = false;
          const suggestion = didYouMean(key, ['rule', 'plan'], { ruleid: 'rule', id: 'rule', then: 'plan', channels: 'plan' });
          fail('FF-RULE-TEST-STRUCTURE', `Unknown key '${key}' in expect.${suggestion ? ` Did you mean '${suggestion}'?` : ''} expect has rule and plan.`, doc.keyAt(childPointer(expectPointer, key)));
        }
      }
      if (raw.expect.rule !== undefined) {
        expect.ruleId = String(raw.expect.rule);
        expect.ruleAt = doc.at(childPointer(expectPointer, 'rule'));
      }
      if (raw.expect.plan !== undefined) {
        const plan = parsePlan(raw.expect.plan, doc, childPointer(expectPointer, 'plan'));
        issues.push(...plan.issues.filter(isFatal));
        if (plan.plan) expect.plan = plan.plan;
        else expectValid = false;
      }
    }
    if (!expectValid) return;
    cases.push({ file: file.label, name, at, expectAt, ...(facts ? { facts } : {}), expect });
  });
  return { file, cases, issues };
}

/** Test files' problems that need the rule set: expected rule ids that do not exist. */
export function checkExpectedRules(cases: readonly RuleTestCase[], ruleIds: readonly string[]): ValidationIssue[] {
  return cases.flatMap((testCase) => {
    const id = testCase.expect.ruleId;
    if (id === undefined || ruleIds.includes(id)) return [];
    const suggestion = didYouMean(id, ruleIds);
    return [issue('FF-RULE-TEST-STRUCTURE', `Test '${testCase.name}' expects rule '${id}', which is not in the rule set.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`, testCase.expect.ruleAt ?? testCase.expectAt)];
  });
}

function describeDecision(decision: Decision): string {
  const tried = decision.trace.map((step) => `${step.ruleId} ${step.matched ? '✓' : '✗'}`).join(', ');
  const read = new Map<string, unknown>();
  for (const step of decision.trace) for (const fact of step.facts) if (!read.has(fact.path)) read.set(fact.path, fact.value);
  const facts = [...read].map(([path, value]) => `${path} = ${JSON.stringify(value)}`).join(', ');
  return `Tried: ${tried || 'no rules'}. Facts read: ${facts || 'none'}.`;
}

export function runRuleTestCase(ruleSet: RuleSet, testCase: RuleTestCase): RuleTestResult {
  const base = { file: testCase.file, name: testCase.name, at: testCase.at };
  if (!testCase.facts) return { ...base, passed: false, message: `Test '${testCase.name}' cannot run: its facts or invoice have errors (see above).` };
  const decision = decide(ruleSet, testCase.facts);
  const ruleOk = testCase.expect.ruleId === undefined || testCase.expect.ruleId === decision.ruleId;
  const planOk = testCase.expect.plan === undefined || plansEqual(testCase.expect.plan, decision.plan);
  if (ruleOk && planOk) return { ...base, passed: true, decision };
  const expected = [testCase.expect.ruleId !== undefined ? `rule '${testCase.expect.ruleId}'` : '', testCase.expect.plan ? `plan ${formatPlan(testCase.expect.plan)}` : '']
    .filter(Boolean)
    .join(' with ');
  const message = `Test '${testCase.name}' expected ${expected}, got rule '${decision.ruleId}' with plan ${formatPlan(decision.plan)}. ${describeDecision(decision)}`;
  return { ...base, passed: false, decision, message };
}

/** Runs every test of every file against the rule set. */
export function runRuleTests(ruleSet: RuleSet, testFiles: readonly SourceFile[]): RuleTestReport {
  const report: RuleTestReport = { passed: 0, failed: 0, results: [], issues: [] };
  const ruleIds = ruleSet.rules.map((rule) => rule.id).concat('default');
  for (const file of testFiles) {
    const read = readRuleTestFile(file);
    report.issues.push(...read.issues, ...checkExpectedRules(read.cases, ruleIds));
    for (const testCase of read.cases) {
      const result = runRuleTestCase(ruleSet, testCase);
      report.results.push(result);
      if (result.passed) {
        report.passed++;
      } else {
        report.failed++;
        report.issues.push(issue('FF-RULE-TEST', result.message!, testCase.expectAt));
      }
    }
  }
  sortIssues(report.issues);
  return report;
}
