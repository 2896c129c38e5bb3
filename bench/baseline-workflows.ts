/**
 * The benchmark's baselines (issue 12): what a durable invoice costs the engine at the least, on the same server
 * in the same run. `minimalDurableUnit`: one workflow, one no-op activity. `productShape`: a no-op with the
 * invoice lifecycle's shape, nothing done in any step. Since the lifecycle of few round trips (issue 12, item 2)
 * that shape is one local activity (prepare: validate, convert, route) and one more for the delivery's first attempt
 * (which archives the final status); before that the delivery was an activity, and before issue 12 there were nine
 * activities (validate, convert, route, deliver and five progress records).
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type * as activities from './baseline-activities.js';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });
const local = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

export async function minimalDurableUnit(): Promise<void> {
  await noop();
}

/** The lifecycle's steps today (workflows/invoice-lifecycle.ts, few round trips): prepare, then deliver's first attempt, both local. */
export const PRODUCT_SHAPE_ACTIVITIES = 2;
export const PRODUCT_SHAPE = '2 local activities';

export async function productShape(): Promise<void> {
  await local.noop();
  await local.noop();
}
