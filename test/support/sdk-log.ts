/**
 * What the Temporal SDK's runtime logs, for tests that read it (the personal-data test scans it). The runtime's
 * logger is installed once per process (test/integration/quiet-sdk.ts) and hands every entry to these listeners.
 */
import type { LogEntry } from '@temporalio/worker';

export type SdkLogListener = (entry: LogEntry) => void;

// On globalThis: the setup file and a test file may each load their own instance of this module.
export const sdkLogListeners: Set<SdkLogListener> = ((globalThis as Record<symbol, unknown>)[Symbol.for('fakturaflyt.sdkLogListeners')] ??= new Set<SdkLogListener>()) as Set<SdkLogListener>;

export function onSdkLog(listener: SdkLogListener): () => void {
  sdkLogListeners.add(listener);
  return () => sdkLogListeners.delete(listener);
}
