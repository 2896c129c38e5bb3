/**
 * Determinism: every recorded history (test/fixtures/histories, written by `npm run record-histories`) must
 * replay on today's workflow code, so a change that would break in-flight invoices fails here, not in production.
 */
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { FEW_ROUND_TRIPS_SUFFIX, LOCAL_FIRST_SUFFIX, RECORDED } from '../support/lifecycle-scenarios.js';
import { FEW_ROUND_TRIPS_PATCH, LOCAL_FIRST_ATTEMPT_PATCH } from '../../workflows/invoice-lifecycle.js';

const dir = new URL('../fixtures/histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has a recorded history for every scenario', () => {
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(Object.keys(RECORDED).sort());
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    expect(history.events?.length).toBeGreaterThan(5);
    await Worker.runReplayHistory({ workflowBundle: { code: inject('workflowBundle') } }, history, file);
  });

  // Every shape is kept (issue 12): the earlier ones are what invoices in flight during each upgrade have.
  it.each(files)('%s is of the shape its name says', (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    const events = history.events ?? [];
    // The patches the history was made under: the ids in its `core_patch` markers.
    const patches = events
      .flatMap((e) => (e.markerRecordedEventAttributes?.markerName === 'core_patch' ? (e.markerRecordedEventAttributes.details?.['patch-data']?.payloads ?? []) : []))
      .map((p) => (JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString('utf8')) as { id: string }).id);
    const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    const delivered = (events.at(-1)?.workflowExecutionCompletedEventAttributes !== undefined) && !file.startsWith('no-channel') && !file.startsWith('rejected');
    if (file.endsWith(`${LOCAL_FIRST_SUFFIX}.json`)) {
      expect(patches).toEqual([FEW_ROUND_TRIPS_PATCH, LOCAL_FIRST_ATTEMPT_PATCH].slice(0, file.startsWith('rejected') ? 1 : 2));
      // A channel step that went through at its first attempt schedules no activity: one workflow task in all.
      if (delivered && !file.includes('down-at-first')) expect(scheduled).toEqual([]);
      if (file.includes('down-at-first')) expect(scheduled).toEqual(['deliverAndRecord']);
    } else if (file.endsWith(`${FEW_ROUND_TRIPS_SUFFIX}.json`)) {
      expect(patches).toEqual([FEW_ROUND_TRIPS_PATCH]);
      expect(scheduled).not.toContain('validateInvoice');
      if (delivered) expect(scheduled).toContain('deliverAndRecord');
    } else {
      expect(patches).toEqual([]);
      expect(scheduled).toContain('validateInvoice');
    }
  });
});
