/**
 * Decisions per second: the full decision (`decide`, with its trace) on the shipped rules and on an 18-rule
 * bench fixture (routing/bench-rules), against raw json-logic-js `apply` of the same conditions in the same
 * first-match loop. Same pseudo-random facts for every contender; every decision is cross-checked first.
 *
 *   npm run bench:rules      (tsx routing/bench.ts [--seconds 1])
 */
import jsonLogic from 'json-logic-js';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decide } from './evaluate.js';
import { BASE_FACTS } from './fact-schema.js';
import type { RoutingFacts } from './facts.js';
import { requireRuleSet } from './load.js';
import type { RuleSet } from './rule-set.js';

/** mulberry32: a small seeded PRNG, so every run measures the same facts. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleFacts(count: number, seed = 42): RoutingFacts[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, () => {
    const facts = structuredClone(BASE_FACTS) as RoutingFacts;
    facts.documentType = next() < 0.9 ? 'invoice' : 'creditNote';
    facts.customer = {
      kind: pick(['business', 'business', 'consumer', 'consumer', 'consumer', 'public'] as const),
      hasEmail: next() < 0.8,
      hasMobile: next() < 0.6,
      hasPostalAddress: next() < 0.95,
      country: next() < 0.9 ? 'NO' : pick(['SE', 'DK', 'DE']),
    };
    facts.peppol = { registered: next() < 0.5, acceptsDocumentType: next() < 0.45 };
    facts.efaktura = { status: pick(['found', 'not_found', 'blocked', 'agreement_pending', 'agreement_accepted', 'agreement_rejected'] as const) };
    facts.amount = { payable: Math.round(next() * 80_000_00) / 100, currency: next() < 0.95 ? 'NOK' : 'EUR' };
    facts.supplier = { orgNumber: '123456785', branch: pick(['', 'oslo', 'bergen']) };
    facts.tags = next() < 0.2 ? [pick(['vip', 'print-only', 'campaign'])] : [];
    facts.issueDate = `${pick(['2025', '2026', '2027', '2029', '2030'])}-${pick(['01', '06', '12'])}-15`;
    return facts;
  });
}

/** First-match with raw json-logic-js, as an engine without compilation would do it. */
export function rawDecide(ruleSet: RuleSet, facts: RoutingFacts): string {
  for (const rule of ruleSet.rules) {
    if (jsonLogic.truthy(jsonLogic.apply(rule.when as jsonLogic.RulesLogic, facts))) return rule.id;
  }
  return 'default';
}

export interface BenchFigure {
  name: string;
  decisionsPerSecond: number;
}

function measure(name: string, facts: readonly RoutingFacts[], seconds: number, once: (facts: RoutingFacts) => unknown): BenchFigure {
  let sink = 0;
  const run = (budgetMs: number): { count: number; ms: number } => {
    const start = performance.now();
    let count = 0;
    let elapsed = 0;
    while (elapsed < budgetMs) {
      for (let i = 0; i < facts.length; i++) if (once(facts[i]!)) sink++;
      count += facts.length;
      elapsed = performance.now() - start;
    }
    return { count, ms: elapsed };
  };
  run(Math.min(300, seconds * 300)); // warm up the JIT
  const { count, ms } = run(seconds * 1000);
  if (sink < 0) console.log(sink);
  return { name, decisionsPerSecond: (count / ms) * 1000 };
}

export interface BenchResult {
  version: string;
  rules: number;
  figures: BenchFigure[];
  /** decide() with trace ÷ raw json-logic-js. */
  ratio: number;
}

export function benchRuleSet(ruleSet: RuleSet, facts: readonly RoutingFacts[], seconds: number): BenchResult {
  for (const sample of facts) {
    const ours = decide(ruleSet, sample).ruleId;
    const theirs = rawDecide(ruleSet, sample);
    if (ours !== theirs) throw new Error(`Parity broken on ${JSON.stringify(sample)}: decide → ${ours}, json-logic-js → ${theirs}`);
  }
  const full = measure('decide() with trace', facts, seconds, (sample) => decide(ruleSet, sample).plan);
  const bare = measure('compiled conditions, no trace', facts, seconds, (sample) => {
    for (const rule of ruleSet.rules) if (rule.matches(sample, null)) return rule.plan;
    return ruleSet.default.plan;
  });
  const raw = measure('json-logic-js apply (raw)', facts, seconds, (sample) => rawDecide(ruleSet, sample));
  return { version: ruleSet.version, rules: ruleSet.rules.length, figures: [full, bare, raw], ratio: full.decisionsPerSecond / raw.decisionsPerSecond };
}

function formatResult(title: string, result: BenchResult): string {
  const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const lines = [`${title}: ${result.version}, ${result.rules} rules`];
  for (const figure of result.figures) lines.push(`  ${figure.name.padEnd(32)}${number.format(figure.decisionsPerSecond).padStart(14)} decisions/s`);
  lines.push(`  ${'decide() ÷ raw json-logic-js'.padEnd(32)}${`${result.ratio.toFixed(2)}×`.padStart(14)} (target ≥ 0.50×)`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '1' } } });
  const seconds = Number(values.seconds);
  const here = fileURLToPath(new URL('.', import.meta.url));
  const facts = sampleFacts(10_000);
  console.log(`Routing decisions per second, Node ${process.version}, ${facts.length} pseudo-random fact sets, ${seconds} s per figure\n`);
  const shipped = await requireRuleSet(fileURLToPath(new URL('../rules', import.meta.url)));
  console.log(formatResult('Shipped rules (rules/)', benchRuleSet(shipped, facts, seconds)));
  const fixture = await requireRuleSet(`${here}bench-rules`);
  console.log();
  console.log(formatResult('Bench fixture (routing/bench-rules/)', benchRuleSet(fixture, facts, seconds)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
