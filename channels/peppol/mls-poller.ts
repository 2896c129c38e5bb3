/**
 * After `sent`, the MLS (and a late failure) comes back only by asking: phoss-ap pushes no status. A small loop in the
 * worker process asks the access point's status endpoint about transmissions whose MLS is still awaited, each at most
 * once per interval and only for a bounded window after sending (PeppolChannelOptions.mlsWindowMs), and records what
 * it learns in the archive. Not a workflow step: engine round trips per invoice stay few (DESIGN.md "Engine").
 */
import type { Db } from '../../archive/database.js';
import { claimTransmissionsToPoll, recordPeppolResponse, stopPollingExpired } from '../../archive/peppol-responses.js';
import type { AccessPoint } from './access-point.js';

export interface MlsPollerOptions {
  db: Db;
  accessPoint: AccessPoint;
  /** How often each awaited transmission is asked about (default one minute). */
  everyMs?: number;
  log: (message: string, meta?: Record<string, unknown>) => void;
}

export interface MlsPoller {
  /** One round now (also what the timer runs); resolves to the number of MLS recorded. */
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startMlsPoller(options: MlsPollerOptions): MlsPoller {
  const { db, accessPoint, log } = options;
  const everyMs = options.everyMs ?? 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function pollOnce(): Promise<number> {
    await stopPollingExpired(db);
    const due = await claimTransmissionsToPoll(db, accessPoint.name, everyMs / 1000);
    let recorded = 0;
    for (const t of due) {
      if (stopped) break;
      try {
        const status = await accessPoint.status(t.sbdhInstanceId);
        if (status.mls && status.mls !== 'pending') {
          const { recorded: fresh } = await recordPeppolResponse(db, { invoiceId: t.invoiceId, sbdhInstanceId: t.sbdhInstanceId, kind: 'mls', code: status.mls, source: 'access-point' });
          if (fresh) recorded++;
          if (fresh && status.mls === 'RE') log('peppol: the receiving access point rejected a delivered invoice (MLS RE)', { invoiceId: t.invoiceId, sbdhInstanceId: t.sbdhInstanceId });
        }
      } catch (err) {
        // The next round asks again; an outage of the AP is no reason to stop.
        log('peppol: status poll failed', { sbdhInstanceId: t.sbdhInstanceId, error: (err as Error).message });
      }
    }
    return recorded;
  }

  const tick = () => {
    running = pollOnce()
      .catch((err) => log('peppol: MLS poll round failed', { error: (err as Error).message }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, everyMs);

  return {
    pollOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
