/**
 * An HTTP server on 127.0.0.1 that speaks phoss-ap's outbound REST contract (phax/phoss-ap OutboundController,
 * ApiTokenFilter, OutboundTransactionResponse, phase4's Phase4PeppolSendingReport JSON), with the failure modes a
 * real AP shows, chosen per receiver:
 * - `send`: 200 + sending report, status `sent`, MLS `pending` until the test sets it (`setMls`);
 * - `slow`: the submit answers after `delayMs` (the transaction is stored and sent meanwhile, as phoss-ap does);
 * - `error`: `status` (5xx) on the next `times` submits, then `send`;
 * - `reject`: 422 with a JSON string, nothing stored (outbound verification refused it);
 * - `not_serviced`: C3 answers EBMS:0004 / PEPPOL:NOT_SERVICED: 422 + report with as4ResponseErrors; the status says
 *   only `failed` (the AP would retry), as phoss-ap's errorDetails carries phase4's message, not the ebMS detail;
 * - `permanently_failed`: 422 + report with a lookupError, status `permanently_failed`;
 * - `retry_then_sent`: 422 + report, status `failed` with nextRetryDT; `sent` from the `afterPolls`-th status read.
 * A second submit of a known SBDH instance id is counted in `duplicateSubmits` and answered 500.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export type ApBehaviour =
  | { kind: 'send' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'error'; status: number; times: number }
  | { kind: 'reject' }
  | { kind: 'not_serviced' }
  | { kind: 'permanently_failed' }
  | { kind: 'retry_then_sent'; afterPolls: number };

export interface ApTransaction {
  id: string;
  senderID: string;
  receiverID: string;
  docTypeID: string;
  processID: string;
  c1CountryCode: string;
  sbdhInstanceID: string;
  status: 'pending' | 'rejected' | 'sending' | 'sent' | 'failed' | 'permanently_failed';
  mlsStatus: 'pending' | 'received_ap' | 'received_ab' | 'received_re' | 'not_applicable';
  attemptCount: number;
  createdDT: string;
  completedDT: string | null;
  nextRetryDT: string | null;
  errorDetails: string | null;
  custom1: string | null;
  as4MessageId?: string;
  body: string;
  contentType?: string;
  statusReads: number;
  sendAfterPolls?: number;
}

export interface PhossApServer {
  url: string;
  token: string;
  /** By receiver participant value (`0192:987654325`); others get `fallback`. */
  behaviours: Map<string, ApBehaviour>;
  fallback: ApBehaviour;
  transactions: Map<string, ApTransaction>;
  submits: number;
  duplicateSubmits: number;
  statusCalls: number;
  setMls(sbdhInstanceId: string, mls: ApTransaction['mlsStatus']): void;
  stop(): Promise<void>;
}

const SUBMIT = /^\/api\/outbound\/submit\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/;
const STATUS = /^\/api\/outbound\/status\/([^/]+)$/;

export async function startPhossApServer(options: { token?: string } = {}): Promise<PhossApServer> {
  const token = options.token ?? 'phoss-ap-test-token';
  const errorsLeft = new Map<string, number>();
  const state: Omit<PhossApServer, 'url' | 'stop' | 'setMls' | 'token'> = {
    behaviours: new Map(),
    fallback: { kind: 'send' },
    transactions: new Map(),
    submits: 0,
    duplicateSubmits: 0,
    statusCalls: 0,
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => json(res, 500, { error: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // ApiTokenFilter: every /api/ path needs the configured token in X-Token.
    if (url.pathname.startsWith('/api/') && req.headers['x-token'] !== token) {
      return json(res, 401, { error: 'Invalid or missing API token' });
    }
    const submit = req.method === 'POST' ? SUBMIT.exec(url.pathname) : null;
    if (submit) return onSubmit(req, res, url, submit.slice(1).map(decodeURIComponent) as [string, string, string, string, string]);
    const status = req.method === 'GET' ? STATUS.exec(url.pathname) : null;
    if (status) return onStatus(res, decodeURIComponent(status[1]!));
    res.statusCode = 404;
    res.end();
  }

  async function onSubmit(req: IncomingMessage, res: ServerResponse, url: URL, [senderID, receiverID, docTypeID, processID, c1CountryCode]: [string, string, string, string, string]) {
    const body = await readBody(req);
    state.submits++;
    const receiver = receiverID.replace(/^iso6523-actorid-upis::/, '');
    let behaviour = state.behaviours.get(receiver) ?? state.fallback;
    if (behaviour.kind === 'error') {
      const left = errorsLeft.get(receiver) ?? behaviour.times;
      if (left > 0) {
        errorsLeft.set(receiver, left - 1);
        return json(res, behaviour.status, { error: 'Internal Server Error' });
      }
      behaviour = { kind: 'send' };
    }
    if (!/^iso6523-actorid-upis::\d{4}:\S+$/.test(senderID) || !/^iso6523-actorid-upis::\d{4}:\S+$/.test(receiverID)) {
      return json(res, 400, `Failed to parse the receiving participant ID '${receiverID}'`);
    }
    if (behaviour.kind === 'reject') return json(res, 422, 'Failed to submit outbound transaction');
    const sbdhInstanceID = url.searchParams.get('sbdhInstanceID') || randomUUID();
    if (state.transactions.has(sbdhInstanceID)) {
      state.duplicateSubmits++;
      return json(res, 500, { error: 'duplicate key value violates unique constraint' });
    }
    const now = new Date().toISOString();
    const tx: ApTransaction = {
      id: randomUUID(),
      senderID,
      receiverID,
      docTypeID,
      processID,
      c1CountryCode,
      sbdhInstanceID,
      status: 'sending',
      mlsStatus: 'pending',
      attemptCount: 1,
      createdDT: now,
      completedDT: null,
      nextRetryDT: null,
      errorDetails: null,
      custom1: url.searchParams.get('custom1'),
      body,
      contentType: req.headers['content-type'],
      statusReads: 0,
    };
    state.transactions.set(sbdhInstanceID, tx);
    const report = baseReport(tx);
    switch (behaviour.kind) {
      case 'send':
      case 'slow': {
        markSent(tx);
        if (behaviour.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
        return json(res, 200, { ...report, as4MessageId: tx.as4MessageId, as4SendingDateTime: tx.completedDT, sendingResult: 'SUCCESS', as4ResponseError: false, sendingSuccess: true, overallSuccess: true });
      }
      case 'not_serviced': {
        tx.status = 'failed';
        tx.errorDetails = 'Error in AS4 sending with result code TRANSPORT_ERROR';
        tx.nextRetryDT = new Date(Date.now() + 180_000).toISOString();
        return json(res, 422, {
          ...report,
          as4MessageId: `${randomUUID()}@phase4`,
          as4ResponseError: true,
          as4ResponseErrors: [{ errorCode: 'EBMS:0004', errorDetails: 'PEPPOL:NOT_SERVICED', category: 'Content', severity: 'failure', shortDescription: 'Other', origin: 'ebMS' }],
          sendingResult: 'TRANSPORT_ERROR',
          sendingError: 'An error occurred during the phase4 transmission',
          sendingSuccess: false,
          overallSuccess: false,
        });
      }
      case 'permanently_failed': {
        tx.status = 'permanently_failed';
        tx.errorDetails = `The participant ID '${receiverID}' is not registered in the Peppol Network`;
        return json(res, 422, { ...report, lookupError: tx.errorDetails, as4ResponseError: false, sendingSuccess: false, overallSuccess: false });
      }
      case 'retry_then_sent': {
        tx.status = 'failed';
        tx.errorDetails = 'Failed to transmit outbound AS4 message';
        tx.nextRetryDT = new Date(Date.now() + 180_000).toISOString();
        tx.sendAfterPolls = behaviour.afterPolls;
        return json(res, 422, { ...report, as4ResponseError: false, sendingError: 'Failed to transmit outbound AS4 message', sendingSuccess: false, overallSuccess: false });
      }
    }
  }

  function onStatus(res: ServerResponse, sbdhInstanceID: string) {
    state.statusCalls++;
    const tx = state.transactions.get(sbdhInstanceID);
    if (!tx) {
      res.statusCode = 404;
      res.end();
      return;
    }
    tx.statusReads++;
    if (tx.sendAfterPolls !== undefined && tx.status === 'failed' && tx.statusReads >= tx.sendAfterPolls) {
      tx.attemptCount++;
      markSent(tx);
      // phoss-ap's status carries no AS4 message id; only the submit answer does.
    }
    const { id, senderID, receiverID, docTypeID, processID, status, attemptCount, createdDT, completedDT, nextRetryDT, errorDetails, mlsStatus, custom1 } = tx;
    return json(res, 200, {
      id,
      transactionType: 'business_document',
      senderID,
      receiverID,
      docTypeID,
      processID,
      sbdhInstanceID,
      status,
      attemptCount,
      createdDT,
      completedDT,
      reportingStatus: status === 'sent' ? 'reported' : 'pending',
      nextRetryDT,
      errorDetails,
      mlsStatus,
      custom1,
      custom2: null,
      custom3: null,
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    token,
    setMls(sbdhInstanceId: string, mls: ApTransaction['mlsStatus']) {
      const tx = state.transactions.get(sbdhInstanceId);
      if (!tx) throw new Error(`no transaction ${sbdhInstanceId}`);
      tx.mlsStatus = mls;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function markSent(tx: ApTransaction): void {
  tx.status = 'sent';
  tx.completedDT = new Date().toISOString();
  tx.nextRetryDT = null;
  tx.errorDetails = null;
  tx.as4MessageId = `${randomUUID()}@phase4`;
}

function baseReport(tx: ApTransaction) {
  return {
    currentDateTimeUTC: new Date().toISOString(),
    phase4Version: '4.4.0',
    smlDnsZone: 'participant.sml.test.tech.peppol.org.',
    senderId: tx.senderID,
    receiverId: tx.receiverID,
    docTypeId: tx.docTypeID,
    docTypeIdInCodeList: true,
    processId: tx.processID,
    processIdInCodeList: true,
    countryC1: tx.c1CountryCode,
    senderPartyId: 'PNO000000',
    transportProfileId: 'peppol-transport-as4-v2_0',
    sbdhInstanceIdentifier: tx.sbdhInstanceID,
    overallDurationMillis: 12,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
