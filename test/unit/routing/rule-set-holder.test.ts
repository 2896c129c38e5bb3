/**
 * Hot reload: a valid change is swapped in and announced; an invalid one (lint errors, failing tests) is
 * rejected with its issues while the running version stays. Tests wait for the holder's events, never for time.
 */
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuleSetInvalidError } from '../../../routing/load.js';
import { createRuleSetHolder, type ActivatedEvent, type RejectedCandidate, type RuleSetHolder } from '../../../routing/rule-set-holder.js';

let dir: string;
let holder: RuleSetHolder | undefined;
let original: string;

/** Writes like an editor's safe save: a temporary file renamed over the old one. */
async function save(name: string, text: string): Promise<void> {
  const temporary = join(dir, `.${name}.swp`);
  await writeFile(temporary, text);
  await rename(temporary, join(dir, name));
}

function next<E extends 'activated' | 'rejected'>(target: RuleSetHolder, event: E): Promise<E extends 'activated' ? ActivatedEvent : RejectedCandidate> {
  return new Promise((resolve) => {
    const off = target.on(event, ((payload: never) => {
      off();
      resolve(payload);
    }) as never);
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-rules-'));
  await cp('rules/routing.yaml', join(dir, 'routing.yaml'));
  await cp('rules/routing.test.yaml', join(dir, 'routing.test.yaml'));
  original = await readFile(join(dir, 'routing.yaml'), 'utf8');
});

afterEach(async () => {
  await holder?.close();
  holder = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('rule-set holder', () => {
  it('activates the folder at start and announces it', async () => {
    const activations: ActivatedEvent[] = [];
    holder = await createRuleSetHolder(dir, { onActivated: (event) => void activations.push(event) });
    expect(activations).toHaveLength(1);
    expect(activations[0]).toMatchObject({ version: holder.current().version, issues: [] });
    expect(activations[0]!.previousVersion).toBeUndefined();
    expect(activations[0]!.files.map((file) => file.name)).toEqual(['routing.yaml']);
    expect(activations[0]!.files[0]!.text).toBe(original);
    expect(holder.rejected()).toBeUndefined();
  });

  it('swaps in a valid change when the files change', async () => {
    holder = await createRuleSetHolder(dir, { debounceMs: 20 });
    const before = holder.current();
    const activated = next(holder, 'activated');
    await save('routing.yaml', original.replace('Anyone no rule covers gets e-mail, else print', 'Everyone else: e-mail, else print'.replace(':', ' -')));
    const event = await activated;
    expect(event.previousVersion).toBe(before.version);
    expect(event.version).not.toBe(before.version);
    expect(holder.current()).toBe(event.ruleSet);
    expect(holder.current().default.description).toBe('Everyone else - e-mail, else print');
    expect(before.default.description).toBe('Anyone no rule covers gets e-mail, else print');
  });

  it('rejects an invalid change, keeps the running version, and takes the fix', async () => {
    holder = await createRuleSetHolder(dir, { debounceMs: 20 });
    const running = holder.current();
    const rejected = next(holder, 'rejected');
    await save('routing.yaml', original.replace('{"===": [{"var": "customer.kind"}, "public"]}', '{"===": [{"var": "customer.knid"}, "public"]}'));
    const candidate = await rejected;
    expect(holder.current()).toBe(running);
    expect(candidate.activeVersion).toBe(running.version);
    expect(candidate.version).not.toBe(running.version);
    expect(candidate.issues).toEqual([
      expect.objectContaining({ rule: 'FF-RULE-FACT', path: `${join(dir, 'routing.yaml')}:10:28`, message: expect.stringContaining("Did you mean 'customer.kind'?") }),
    ]);
    expect(holder.rejected()).toBe(candidate);

    const activated = next(holder, 'activated');
    await save('routing.yaml', original.replace('then: [peppol]\n', 'then: [peppol]  # EHF only\n'));
    const event = await activated;
    expect(event.previousVersion).toBe(running.version);
    expect(holder.current().version).toBe(event.version);
    expect(holder.rejected()).toBeUndefined();
  });

  it('rejects a change that breaks the rule tests', async () => {
    holder = await createRuleSetHolder(dir, { debounceMs: 20 });
    const running = holder.current();
    const rejected = next(holder, 'rejected');
    await save('routing.yaml', original.replace('wait: P3D', 'wait: P5D'));
    const candidate = await rejected;
    expect(candidate.tests).toEqual({ passed: 16, failed: 1 });
    expect(candidate.issues).toEqual([expect.objectContaining({ rule: 'FF-RULE-TEST', path: `${join(dir, 'routing.test.yaml')}:55:7` })]);
    expect(holder.current()).toBe(running);
  });

  it('refuses to start on an invalid folder', async () => {
    await save('routing.yaml', original.replace(/default:[\s\S]*$/, ''));
    const failure = await createRuleSetHolder(dir, { watch: false }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RuleSetInvalidError);
    expect((failure as RuleSetInvalidError).issues).toEqual([expect.objectContaining({ rule: 'FF-RULE-DEFAULT', path: `${join(dir, 'routing.yaml')}:1:1` })]);
  });

  it('reloads on demand, reports listener failures and carries on', async () => {
    const errors: Error[] = [];
    holder = await createRuleSetHolder(dir, { watch: false, onError: (error) => void errors.push(error) });
    expect(await holder.reload()).toBe('unchanged');
    holder.on('activated', () => {
      throw new Error('database down');
    });
    await save('routing.yaml', `${original}# a comment\n`);
    expect(await holder.reload()).toBe('activated');
    expect(errors.map((error) => error.message)).toEqual(['database down']);
    await save('routing.yaml', original.replace('then: [peppol]', 'then: [pepol]'));
    expect(await holder.reload()).toBe('rejected');
    expect(holder.rejected()!.issues[0]).toMatchObject({ rule: 'FF-RULE-CHANNEL', message: expect.stringContaining("Did you mean 'peppol'?") });
    await save('routing.yaml', `${original}# a comment\n`);
    expect(await holder.reload()).toBe('unchanged');
    expect(holder.rejected()).toBeUndefined();
  });
});
