/** Issue 9, defect 5: what we serve names no absolute path and carries no stack trace. */
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { servableHistoryJson, withoutStackTraces } from '../../../api/history-redaction.js';
import { relativeTo } from '../../../main/routing-runtime.js';

describe('servableHistoryJson', () => {
  it('serves a recorded history with failures without their stack traces, and everything else intact', () => {
    const recorded = readFileSync(new URL('../../fixtures/histories/no-channel-failed.json', import.meta.url), 'utf8');
    expect(recorded).toContain('"stackTrace"');
    expect(recorded).toMatch(/\/work\/[^"]*\.ts:\d+/);
    const served = servableHistoryJson(historyFromJSON(JSON.parse(recorded)));
    expect(served).not.toContain('stackTrace');
    expect(served).not.toMatch(/\.ts:\d+:\d+/);
    const events = JSON.parse(served).events;
    expect(events.length).toBe(JSON.parse(recorded).events.length);
    const failed = events.find((e: any) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_FAILED');
    expect(failed.activityTaskFailedEventAttributes.failure).toMatchObject({ message: 'no peppol', applicationFailureInfo: { type: 'ReceiverNotRegistered' } });
  });

  it('removes stack traces at any depth, also of a failure\'s cause', () => {
    expect(withoutStackTraces({ failure: { message: 'a', stackTrace: 's', cause: { stackTrace: 't', message: 'b' } }, list: [{ stackTrace: 'u' }] })).toEqual({
      failure: { message: 'a', cause: { message: 'b' } },
      list: [{}],
    });
  });
});

describe('relativeTo (rules API)', () => {
  it('names files under the rules folder relative to it', () => {
    const dir = '/srv/fakturaflyt/rules';
    const answer = { at: `${dir}/routing.yaml:3:5`, errors: [{ path: `${dir}/b2c.yaml:1:1` }], author: `uncommitted edit in ${dir}`, when: new Date(0) };
    expect(relativeTo(dir, answer)).toEqual({ at: 'routing.yaml:3:5', errors: [{ path: 'b2c.yaml:1:1' }], author: 'uncommitted edit in .', when: new Date(0) });
    expect(relativeTo(`${dir}/`, 'x')).toBe('x');
  });
});
