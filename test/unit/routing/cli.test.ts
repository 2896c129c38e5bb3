/**
 * The CLI as operations use it: readable `file:line:col rule message` lines, --json, and exit codes
 * 0 ok / 1 lint or test failures / 2 usage.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type CliIo } from '../../../routing/cli.js';

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (text) => void (out += text), err: (text) => void (err += text), env };
  const code = await run(args, io);
  return { code, out, err };
}

let scratch: string;
const invoice = {
  documentType: 'invoice',
  invoiceNumber: '2026-0042',
  issueDate: '2026-09-01',
  currency: 'NOK',
  supplier: { name: 'Kraftlaget AS', taxId: '123456785', address: { country: 'NO' } },
  buyer: { name: 'Bygg AS', taxId: '923609016', address: { country: 'NO' } },
  lines: [{ description: 'Strøm', quantity: 10, unitPrice: 100, taxCode: 'S', vatRate: 25 }],
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ff-cli-'));
  await writeFile(join(scratch, 'facts.json'), JSON.stringify({ customer: { kind: 'consumer' }, efaktura: { status: 'found' } }));
  await writeFile(join(scratch, 'bad-facts.json'), JSON.stringify({ customer: { kind: 'publik' } }));
  await writeFile(join(scratch, 'invoice.json'), JSON.stringify(invoice));
  await writeFile(join(scratch, 'lookups.json'), JSON.stringify({ peppol: { registered: true, acceptsDocumentType: true } }));
  await writeFile(join(scratch, 'cases.jsonl'), `${JSON.stringify({ id: 'A', facts: { customer: { kind: 'public' } } })}\n`);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('fakturaflyt rules', () => {
  it('lint: 0 on the shipped rules', async () => {
    expect(await cli(['rules', 'lint'])).toEqual({ code: 0, out: 'rules: 0 errors, 0 warnings\n', err: '' });
  });

  it('lint: 1 with one readable line per issue', async () => {
    const { code, out } = await cli(['rules', 'lint', 'test/unit/routing/fixtures/operators']);
    expect(code).toBe(1);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      "test/unit/routing/fixtures/operators/routing.yaml:4:12 FF-RULE-OPERATOR Unknown operator 'equals'. Did you mean '==='? Allowed: var missing missing_some if ?: and or ! !! === !== < <= > >= in + - * / % min max cat substr merge map filter reduce all some none.",
    );
    expect(lines.at(-1)).toBe('test/unit/routing/fixtures/operators: 3 errors, 0 warnings');
  });

  it('lint --json, and --strict fails on warnings', async () => {
    const { code, out } = await cli(['rules', 'lint', 'test/unit/routing/fixtures/policy-pdf-2030', '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out);
    expect(parsed.ok).toBe(true);
    expect(parsed.issues).toEqual([expect.objectContaining({ rule: 'FF-POLICY-PDF-2030', severity: 'warning', path: 'test/unit/routing/fixtures/policy-pdf-2030/routing.yaml:17:11' })]);
    expect((await cli(['rules', 'lint', 'test/unit/routing/fixtures/policy-pdf-2030', '--strict'])).code).toBe(1);
  });

  it('lint takes the folder from RULES_DIR', async () => {
    const { code, out } = await cli(['rules', 'lint'], { RULES_DIR: 'test/unit/routing/fixtures/types' });
    expect(code).toBe(1);
    expect(out).toContain('test/unit/routing/fixtures/types: 5 errors, 0 warnings');
  });

  it('test: 0 when all pass, 1 with failures', async () => {
    const passing = await cli(['rules', 'test']);
    expect(passing.code).toBe(0);
    expect(passing.out).toMatch(/^rs-[0-9a-f]{12}: 17 passed, 0 failed \(1 test file\)\n$/);
    const failing = await cli(['rules', 'test', 'test/unit/routing/fixtures/rule-tests', '--json']);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.out)).toMatchObject({ ok: false, passed: 1, failed: 4 });
    expect((await cli(['rules', 'test', 'test/unit/routing/fixtures/types'])).code).toBe(1);
  });

  it('explain --facts', async () => {
    const { code, out } = await cli(['rules', 'explain', '--facts', join(scratch, 'facts.json')]);
    expect(code).toBe(0);
    expect(out).toContain('✓ consumer-efaktura');
    expect(out).toContain('Plan:\n  1. efaktura\n  2. email\n  3. print\n');
  });

  it('explain --invoice with lookups, as JSON', async () => {
    const { code, out } = await cli(['rules', 'explain', '--invoice', join(scratch, 'invoice.json'), '--given', join(scratch, 'lookups.json'), '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out);
    expect(parsed.decision.ruleId).toBe('business-peppol');
    expect(parsed.facts.amount).toEqual({ payable: 1250, currency: 'NOK' });
    expect(parsed.decision.trace[0]).toEqual({ ruleId: 'public-peppol', at: 'rules/routing.yaml:8:5', matched: false, facts: [{ path: 'customer.kind', value: 'business' }] });
  });

  it('what-if', async () => {
    const { code, out } = await cli(['rules', 'what-if', '--candidate', 'rules', '--facts', join(scratch, 'cases.jsonl')]);
    expect(code).toBe(0);
    expect(out).toMatch(/^What-if (rs-\w+) → \1: 1 case, 1 unchanged, 0 with a different plan, 0 with the same plan from another rule\n$/);
  });

  it('facts prints the fact table', async () => {
    const { code, out } = await cli(['rules', 'facts']);
    expect(code).toBe(0);
    expect(out).toContain('| `customer.kind` | `business` \\| `public` \\| `consumer` |');
  });

  it('usage errors exit 2', async () => {
    for (const args of [[], ['nope'], ['rules', 'frobnicate'], ['rules', 'lint', 'a', 'b'], ['rules', 'lint', '--bogus'], ['rules', 'explain'], ['rules', 'what-if', '--facts', 'x.jsonl']]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toContain('Usage:');
    }
    const bad = await cli(['rules', 'explain', '--facts', join(scratch, 'bad-facts.json')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("Did you mean 'public'?");
  });

  it('runs through bin/fakturaflyt.mjs', async () => {
    const exec = promisify(execFile);
    const { stdout } = await exec(process.execPath, ['bin/fakturaflyt.mjs', 'rules', 'lint']);
    expect(stdout).toBe('rules: 0 errors, 0 warnings\n');
    const failed = await exec(process.execPath, ['bin/fakturaflyt.mjs', 'rules', 'lint', 'test/unit/routing/fixtures/types']).catch((error: { code: number; stdout: string }) => error);
    expect('code' in failed && failed.code).toBe(1);
  });
});
