/**
 * Issue 12: the readable timeline keeps every stage when the workflow history no longer has one activity per stage.
 * Over the recorded histories of both shapes (test/fixtures/histories) and the events the archive holds for them.
 */
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { historyTimeline, withArchivedStages } from '../../../api/history-timeline.js';

const history = (name: string) => historyFromJSON(JSON.parse(readFileSync(new URL(`../../fixtures/histories/${name}.json`, import.meta.url), 'utf8')));
const at = (second: number) => `2026-12-07T06:00:${String(second).padStart(2, '0')}.000Z`;
// What activities/lifecycle-steps.ts archives for a delivered invoice (the receipt comes from the channel).
const archived = [
  { at: at(1), type: 'validated', detail: { warnings: 0, verdict: 'reused' } },
  { at: at(2), type: 'converted', detail: { ehf: 'e' } },
  { at: at(3), type: 'routed', detail: { ruleId: 'test-rule', rulesVersion: 'rs-test' } },
  { at: at(4), type: 'delivering', detail: { channel: 'peppol' } },
  { at: at(5), type: 'delivered', detail: { channel: 'peppol', receipt: 'peppol-receipt' } },
];
const STAGES = ['validateInvoice completed: the verdict given at submission stands (same checks and rule sets), 0 warning(s)', 'convertInvoice completed', 'routeInvoice completed', 'deliverInvoice completed'];

describe('the timeline of an invoice', () => {
  it('of few round trips shows every stage, from the archive where the history has none, in the same words', () => {
    const timeline = withArchivedStages(historyTimeline(history('b2b-peppol.few-round-trips')), archived);
    const summaries = timeline.map((e) => e.summary);
    expect(summaries).toEqual(expect.arrayContaining([...STAGES, 'invoice workflow completed']));
    expect(summaries.filter((s) => s.startsWith('validateInvoice'))).toHaveLength(1);
    // The SDK's patch bookkeeping is no status of the invoice.
    expect(summaries.join('\n')).not.toContain('TemporalChangeVersion');
    expect(summaries).toContain('status: InvoiceStatus=delivered, InvoiceChannel=peppol, RoutingRule=test-rule');
    expect(timeline.map((e) => e.at)).toEqual([...timeline.map((e) => e.at)].sort());
  });

  it('of the stage-by-stage lifecycle is read from its history alone, each stage once', () => {
    const timeline = withArchivedStages(historyTimeline(history('b2b-peppol')), archived);
    const summaries = timeline.map((e) => e.summary);
    expect(summaries).toEqual(expect.arrayContaining(STAGES.slice(1)));
    expect(summaries.filter((s) => s.startsWith('convertInvoice'))).toHaveLength(1);
    expect(timeline.every((e) => e.event !== 'STAGE_ARCHIVED')).toBe(true);
  });

  it('of a rejected invoice says which stage refused it and how many rules failed', () => {
    const timeline = withArchivedStages(historyTimeline(history('rejected-invalid.few-round-trips')), [{ at: at(1), type: 'rejected', detail: { rules: ['BR-CO-15'] } }]);
    expect(timeline.map((e) => e.summary)).toEqual(expect.arrayContaining(['validateInvoice failed (InvalidInvoice): 1 rule(s) failed', 'status: InvoiceStatus=rejected']));
  });

  it('of a delivery by local activity (issue 12) shows the delivery from its marker, and the prepare marker not at all', () => {
    const timeline = withArchivedStages(historyTimeline(history('b2b-peppol.local-first')), archived);
    const summaries = timeline.map((e) => e.summary);
    expect(summaries).toEqual(expect.arrayContaining([...STAGES, 'invoice workflow completed']));
    expect(summaries.filter((s) => s.startsWith('deliverInvoice'))).toEqual(['deliverInvoice completed']);
    expect(summaries.join('\n')).not.toContain('prepareInvoice');
  });

  it('of a first attempt that failed shows the failure, then the activity that delivered', () => {
    const summaries = historyTimeline(history('b2b-peppol-down-at-first.local-first')).map((e) => e.summary);
    expect(summaries.filter((s) => s.startsWith('deliverInvoice'))).toEqual([
      'deliverInvoice failed (ProviderDown): peppol provider answered 503',
      // The activity's own failed attempt is no event in the engine's history: its retry says it.
      'deliverInvoice started, attempt 2',
      'deliverInvoice completed',
    ]);
  });
});
