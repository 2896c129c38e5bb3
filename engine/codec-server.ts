/**
 * The codec endpoint for the Temporal UI (its "remote codec", `--ui-codec-endpoint`): the UI posts a history's
 * payloads here and shows what comes back, so people who may read the engine's UI read decrypted payloads while
 * the engine itself stores only ciphertext. Wire format as the UI and Temporal's samples use it: `POST /decode`
 * and `POST /encode` with `{payloads: [{metadata: {k: base64}, data: base64}]}`, answered in the same shape; the
 * UI calls it from the browser, so the UI's origin gets CORS (with `X-Namespace`, which the UI sends).
 *
 * It listens on 127.0.0.1 only, like the engine and the UI: all three are internal (README "Personal data"). It
 * decrypts for anyone who reaches it, which is why it must never be exposed beyond the host.
 */
import type { PayloadCodec } from '@temporalio/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import { payloadFromJson, payloadToJson, type JsonPayload } from './history-payloads.js';

export interface CodecServer {
  url: string;
  stop(): Promise<void>;
}

export async function startCodecServer(options: { codec: PayloadCodec; port?: number; allowedOrigins: string[] }): Promise<CodecServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && options.allowedOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace, authorization');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  });
  app.use(express.json({ limit: '8mb', type: () => true }));
  const route = (op: 'encode' | 'decode') => async (req: Request, res: Response) => {
    const payloads = (req.body as { payloads?: unknown } | undefined)?.payloads;
    if (!Array.isArray(payloads) || payloads.some((p) => p === null || typeof p !== 'object')) {
      return void res.status(400).json({ error: { code: 'bad_request', message: 'expected {payloads: [{metadata, data}]}' } });
    }
    try {
      const out = await options.codec[op]((payloads as JsonPayload[]).map(payloadFromJson));
      res.json({ payloads: out.map(payloadToJson) });
    } catch (err) {
      // The codec's errors name a key id at most, never key material or payload content.
      res.status(422).json({ error: { code: 'codec_failed', message: (err as Error).message } });
    }
  };
  app.post('/decode', route('decode'));
  app.post('/encode', route('encode'));
  app.use((_req: Request, res: Response) => void res.status(404).json({ error: { code: 'not_found' } }));
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    void res.status(err.status && err.status < 500 ? err.status : 400).json({ error: { code: 'bad_request', message: 'the body is not JSON' } });
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s)).once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
