/**
 * A workflow history as support reads it: one line per meaningful event, in Norwegian-business English,
 * with activity names, timers, signals and status changes. Payloads are not decoded beyond what the
 * workflow itself put there (references, rule ids, channel names).
 */
import proto from '@temporalio/proto';

type History = proto.temporal.api.history.v1.IHistory;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const EventType = proto.temporal.api.enums.v1.EventType;

const BOOKKEEPING = new Set(['recordProgress']);
/** The steps of few round trips (issue 12) read as the steps they carry out. */
const SHOWN_AS: Record<string, string> = { deliverAndRecord: 'deliverInvoice', requestAgreementAndRecord: 'requestAgreement' };
/** The SDK's own search attribute of `patched()`: not the invoice's status. */
const SDK_ATTRIBUTES = new Set(['TemporalChangeVersion']);

export interface TimelineEntry {
  at: string;
  event: string;
  summary: string;
}

export function historyTimeline(history: History): TimelineEntry[] {
  const scheduled = new Map<string, string>();
  const timeline: TimelineEntry[] = [];
  for (const e of history.events ?? []) {
    const entry = describe(e, scheduled);
    if (entry) timeline.push({ at: timestamp(e), event: EventType[e.eventType ?? 0]?.replace('EVENT_TYPE_', '') ?? 'UNKNOWN', summary: entry });
  }
  return timeline;
}

function describe(e: HistoryEvent, scheduled: Map<string, string>): string | undefined {
  const id = String(e.eventId ?? '');
  switch (e.eventType) {
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      return `invoice workflow started (${e.workflowExecutionStartedEventAttributes?.workflowType?.name})`;
    case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
      // The outcome line (completed, failed, retried) says all support needs; the scheduling itself is noise.
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity';
      scheduled.set(id, SHOWN_AS[name] ?? name);
      return undefined;
    }
    case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
      const attempt = e.activityTaskStartedEventAttributes?.attempt ?? 1;
      return attempt > 1 ? `${scheduled.get(String(e.activityTaskStartedEventAttributes?.scheduledEventId)) ?? 'activity'} started, attempt ${attempt}` : undefined;
    }
    case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
      const name = scheduled.get(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)) ?? 'activity';
      // Archive bookkeeping follows every status line below; it is not a step of the invoice.
      if (BOOKKEEPING.has(name)) return undefined;
      if (name === 'validateInvoice') return `${name} completed: ${validationOutcome(e.activityTaskCompletedEventAttributes?.result?.payloads?.[0])}`;
      return `${name} completed`;
    }
    case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
      const failure = e.activityTaskFailedEventAttributes?.failure;
      const type = failure?.applicationFailureInfo?.type;
      return `${scheduled.get(String(e.activityTaskFailedEventAttributes?.scheduledEventId)) ?? 'activity'} failed${type ? ` (${type})` : ''}: ${failure?.message ?? ''}`;
    }
    case EventType.EVENT_TYPE_MARKER_RECORDED:
      return localActivityOutcome(e.markerRecordedEventAttributes);
    case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      return `${scheduled.get(String(e.activityTaskTimedOutEventAttributes?.scheduledEventId)) ?? 'activity'} timed out`;
    case EventType.EVENT_TYPE_TIMER_STARTED: {
      const seconds = Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0);
      return `waiting at most ${humanDuration(seconds)} for the agreement decision`;
    }
    case EventType.EVENT_TYPE_TIMER_FIRED:
      return 'wait ended without a decision';
    case EventType.EVENT_TYPE_TIMER_CANCELED:
      return 'wait ended: decision received';
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      return `signal ${e.workflowExecutionSignaledEventAttributes?.signalName} received`;
    case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
      const parts = Object.entries(fields)
        .filter(([k]) => !SDK_ATTRIBUTES.has(k))
        .map(([k, v]) => `${k}=${decodeKeyword(v)}`);
      return parts.length ? `status: ${parts.join(', ')}` : undefined;
    }
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
      return 'invoice workflow completed';
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
      return `invoice workflow failed: ${e.workflowExecutionFailedEventAttributes?.failure?.message ?? ''}`;
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
      return `invoice workflow terminated: ${e.workflowExecutionTerminatedEventAttributes?.reason ?? ''}`;
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
      return 'invoice workflow cancelled';
    default:
      return undefined;
  }
}

/**
 * A local activity's outcome (issue 12): a channel step's first attempt reads as the activity it stands for. The
 * preparation's marker says nothing here: its stages come from the archive (withArchivedStages). The marker's own data
 * (the activity's type, its attempt) is the SDK's, in clear; its result and failure were decoded like any payload.
 */
function localActivityOutcome(marker: proto.temporal.api.history.v1.IMarkerRecordedEventAttributes | null | undefined): string | undefined {
  if (marker?.markerName !== 'core_local_activity') return undefined;
  let type: string | undefined;
  try {
    type = (decodePayload(marker.details?.data?.payloads?.[0]) as { activity_type?: string }).activity_type;
  } catch {
    return undefined;
  }
  if (!type || type === 'prepareInvoice') return undefined;
  const name = SHOWN_AS[type] ?? type;
  const failure = marker.failure;
  if (!failure) return `${name} completed`;
  const failureType = failure.applicationFailureInfo?.type ?? failure.cause?.applicationFailureInfo?.type;
  return `${name} failed${failureType ? ` (${failureType})` : ''}: ${failure.message ?? ''}`;
}

/** validateInvoice's result (activities/index.ts): counts and how the verdict came about, no content of the invoice. */
function validationOutcome(payload: proto.temporal.api.common.v1.IPayload | undefined): string {
  try {
    return verdictWords(decodePayload(payload) as { warnings?: number; verdict?: string });
  } catch {
    return 'validated';
  }
}

function verdictWords(result: { warnings?: number; verdict?: string }): string {
  const warnings = `${result.warnings ?? 0} warning(s)`;
  if (result.verdict === 'reused') return `the verdict given at submission stands (same checks and rule sets), ${warnings}`;
  return `validated, ${warnings}`;
}

/** A payload of the SDK's default JSON converter; throws on anything else. */
function decodePayload(payload: proto.temporal.api.common.v1.IPayload | undefined): unknown {
  return JSON.parse(Buffer.from(payload?.data ?? new Uint8Array()).toString('utf8'));
}

function decodeKeyword(payload: proto.temporal.api.common.v1.IPayload): string {
  try {
    return String(decodePayload(payload));
  } catch {
    return '?';
  }
}

function timestamp(e: HistoryEvent): string {
  const seconds = Number(e.eventTime?.seconds ?? 0);
  const nanos = e.eventTime?.nanos ?? 0;
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();
}

function humanDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} day(s)`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour(s)`;
  if (seconds % 60 === 0) return `${seconds / 60} minute(s)`;
  return `${seconds} second(s)`;
}

const RESPONSE_WORDS: Record<string, Record<string, string>> = {
  mls: { AP: 'accepted by the receiving access point', AB: 'acknowledged by the receiving access point', RE: 'rejected by the receiving access point' },
  invoice_response: {
    AB: 'received by the buyer',
    IP: 'in process at the buyer',
    UQ: 'under query by the buyer',
    CA: 'conditionally accepted by the buyer',
    RE: 'rejected by the buyer',
    AP: 'accepted by the buyer',
    PD: 'paid by the buyer',
  },
};

/**
 * The Peppol responses that arrive after the workflow has finished (MLS, Invoice Responses) live only in the archive's
 * events; support reads them in the same timeline, in time order.
 */
export function withPeppolResponses(timeline: TimelineEntry[], events: { at: string; type: string; detail: Record<string, unknown> }[]): TimelineEntry[] {
  const responses = events
    .filter((e) => e.type === 'peppol_response')
    .map((e) => {
      const kind = String(e.detail.kind);
      const code = String(e.detail.code);
      const label = kind === 'mls' ? 'Peppol MLS' : 'Invoice Response';
      const words = RESPONSE_WORDS[kind]?.[code] ?? code;
      const reason = e.detail.reason ? ` (${String(e.detail.reason)})` : '';
      return { at: e.at, event: 'PEPPOL_RESPONSE', summary: `${label} ${code}: ${words}${reason}` };
    });
  if (responses.length === 0) return timeline;
  return [...timeline, ...responses].sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * Issue 12: the lifecycle of few round trips prepares an invoice (validate, convert, route) in one local activity,
 * whose stages the workflow history no longer shows one by one; the activity archived each stage as it completed, so
 * support reads them from the archive's events, in the same words as the stage-by-stage lifecycle's activities.
 * A timeline that has the stages from the history (an invoice of the stage-by-stage lifecycle) is left as it is.
 */
export function withArchivedStages(timeline: TimelineEntry[], events: { at: string; type: string; detail: Record<string, unknown> }[]): TimelineEntry[] {
  if (timeline.some((e) => e.summary.startsWith('validateInvoice '))) return timeline;
  const stages = events.flatMap((e): TimelineEntry[] => {
    const at = e.at;
    switch (e.type) {
      case 'validated':
        return [{ at, event: 'STAGE_ARCHIVED', summary: `validateInvoice completed: ${verdictWords(e.detail as { warnings?: number; verdict?: string })}` }];
      case 'converted':
        return [{ at, event: 'STAGE_ARCHIVED', summary: 'convertInvoice completed' }];
      case 'routed':
        return [{ at, event: 'STAGE_ARCHIVED', summary: 'routeInvoice completed' }];
      case 'rejected': {
        const rules = Array.isArray(e.detail.rules) ? e.detail.rules : [];
        return [{ at, event: 'STAGE_ARCHIVED', summary: `validateInvoice failed (InvalidInvoice): ${rules.length} rule(s) failed` }];
      }
      default:
        return [];
    }
  });
  if (stages.length === 0) return timeline;
  return [...timeline, ...stages].sort((a, b) => a.at.localeCompare(b.at));
}
