/**
 * Determinism: every recorded history (test/fixtures/histories, written by `npm run record-histories`) must
 * replay on today's workflow code, so a change that would break in-flight invoices fails here, not in production.
 */
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { FEW_ROUND_TRIPS_SUFFIX, RECORDED } from '../support/lifecycle-scenarios.js';
import { FEW_ROUND_TRIPS_PATCH } from '../../workflows/invoice-lifecycle.js';

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

  // Both shapes are kept (issue 12): the stage-by-stage histories are what invoices in flight during the upgrade have.
  it.each(files)('%s is of the shape its name says', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const history = historyFromJSON(JSON.parse(text));
    const patchMarker = Buffer.from(JSON.stringify(FEW_ROUND_TRIPS_PATCH)).toString('base64');
    const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    if (file.endsWith(`${FEW_ROUND_TRIPS_SUFFIX}.json`)) {
      expect(text).toContain(patchMarker);
      expect(scheduled).not.toContain('validateInvoice');
    } else {
      expect(text).not.toContain(patchMarker);
      expect(scheduled).toContain('validateInvoice');
    }
  });
});
