// The SDK logs every expected activity failure (the fallback tests cause many), and its core warns about the
// time-skipping server's capabilities; tests show errors only. What the SDK logs at WARN, as `npm start` does
// (main/start.ts), still reaches a test that listens (test/support/sdk-log.ts): the personal-data test scans it.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { format } from 'node:util';
import { sdkLogListeners } from '../support/sdk-log.js';

Runtime.install({
  logger: new DefaultLogger('WARN', (entry) => {
    for (const listener of sdkLogListeners) listener(entry);
    if (entry.level === 'ERROR') process.stderr.write(`[${entry.level}] ${entry.message}${entry.meta === undefined ? '' : ` ${format(entry.meta)}`}\n`);
  }),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
});
