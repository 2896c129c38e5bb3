/**
 * Decoding a workflow history's payloads for the people who read it (support's timeline, the raw history of
 * `GET /v1/invoices/{id}/history?format=temporal`): `fetchHistory()` returns the history as the engine stores it,
 * encrypted by the payload codec. We decode on Temporal's proto JSON (historyToJSON), where every payload, at any
 * depth (inputs, results, signals, failure details, memo), has the same shape `{metadata: {k: base64}, data: base64}`.
 */
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type proto from '@temporalio/proto';
import { ENCRYPTED_ENCODING } from './payload-codec.js';

type History = proto.temporal.api.history.v1.IHistory;

export interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

const ENCRYPTED_B64 = Buffer.from(ENCRYPTED_ENCODING).toString('base64');

export function payloadFromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: metadata ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])) : undefined,
    data: data ? Buffer.from(data, 'base64') : undefined,
  };
}

export function payloadToJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: metadata ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])) : undefined,
    data: data ? Buffer.from(data).toString('base64') : undefined,
  };
}

function isEncryptedJson(value: unknown): value is JsonPayload {
  if (value === null || typeof value !== 'object') return false;
  const metadata = (value as JsonPayload).metadata;
  return !!metadata && typeof metadata === 'object' && metadata[METADATA_ENCODING_KEY] === ENCRYPTED_B64;
}

/**
 * A copy of a proto-JSON tree with every encrypted payload decoded; everything else as it was. A payload the codec
 * cannot decode (its key was dropped from PAYLOAD_KEYS) stays encrypted and is reported to `undecodable`, so the
 * rest of the history stays readable.
 */
export async function decodeJsonPayloads(value: unknown, codec: PayloadCodec, undecodable?: (err: Error) => void): Promise<unknown> {
  if (isEncryptedJson(value)) {
    try {
      const [decoded] = await codec.decode([payloadFromJson(value)]);
      return payloadToJson(decoded!);
    } catch (err) {
      if (!undecodable) throw err;
      undecodable(err as Error);
      return value;
    }
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => decodeJsonPayloads(item, codec, undecodable)));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = await decodeJsonPayloads(item, codec, undecodable);
  return out;
}

/**
 * A failure whose message and stack trace travel encoded (engine/failure-converter.ts) gets them back from its decoded
 * `encodedAttributes`, as the SDK's failure converter does on reading: support reads the message where it always was.
 * One that stayed encrypted (an unknown key) keeps `Encoded failure`.
 */
export function openFailureAttributes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openFailureAttributes);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = openFailureAttributes(item);
  const encoded = out.encodedAttributes as JsonPayload | undefined;
  const data = encoded?.data;
  if (data && !isEncryptedJson(encoded)) {
    try {
      const attributes = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { message?: unknown; stack_trace?: unknown };
      if (typeof attributes.message === 'string') out.message = attributes.message;
      if (typeof attributes.stack_trace === 'string') out.stackTrace = attributes.stack_trace;
      delete out.encodedAttributes;
    } catch {
      // not the SDK's JSON: leave the failure as it is
    }
  }
  return out;
}

/** The history with its payloads decoded (the codec passes clear payloads through). Without a codec: as it is. */
export async function decodedHistory(history: History, codec: PayloadCodec | undefined, undecodable?: (err: Error) => void): Promise<History> {
  if (!codec) return history;
  return historyFromJSON(openFailureAttributes(await decodeJsonPayloads(JSON.parse(historyToJSON(history)), codec, undecodable)));
}
