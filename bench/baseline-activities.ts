/** The baselines' one activity: does nothing, so what it costs is the engine's and the SDK's. */
export async function noop(): Promise<void> {}
