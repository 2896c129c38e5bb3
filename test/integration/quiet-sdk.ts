// The SDK logs every expected activity failure (the fallback tests cause many); tests show errors only.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR') });
