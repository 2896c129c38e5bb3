/**
 * The archive's sequence numbers of the preparation's events (issue 12): the prepare step (activities/lifecycle-steps.ts)
 * archives them, and the workflow numbers its own events after the last. The stage-by-stage lifecycle gave the same
 * numbers, so an invoice's timeline reads the same in both shapes.
 */
export const PREPARATION_SEQ = { validated: 1, converted: 2, routed: 3, rejected: 1 } as const;
