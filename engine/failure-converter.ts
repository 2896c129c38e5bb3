/**
 * Failures go to the engine with their message and stack trace inside `encodedAttributes`, a payload like any other,
 * so the payload codec encrypts them too (issue 9, item 5): an activity's error message may quote a provider's answer,
 * and a stack trace names our files. The engine keeps `Encoded failure` in clear; type, retry state and cause chain
 * stay readable for the engine and the workflow. Temporal: DefaultFailureConverter `encodeCommonAttributes`.
 *
 * The SDK loads this module by path (`failureConverterPath`), in the worker and inside the workflow bundle.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
