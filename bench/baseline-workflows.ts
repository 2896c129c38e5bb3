/**
 * The benchmark's baselines (issue 12): what a durable invoice costs the engine at the least, on the same server
 * in the same run. `minimalDurableUnit`: one workflow, one no-op activity. `productShape`: a no-op with the
 * invoice lifecycle's shape — its activities in sequence (validate, convert, route, deliver and the progress
 * records between them), nothing done in any of them.
 */
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './baseline-activities.js';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

export async function minimalDurableUnit(): Promise<void> {
  await noop();
}

/** The lifecycle's activity count today: validate, convert, route, deliver and five progress records. */
export const PRODUCT_SHAPE_ACTIVITIES = 9;

export async function productShape(): Promise<void> {
  for (let i = 0; i < PRODUCT_SHAPE_ACTIVITIES; i++) await noop();
}
