// The SDK logs every expected activity failure (the fallback tests cause many), and its core warns about the
// time-skipping server's capabilities; tests show errors only.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
