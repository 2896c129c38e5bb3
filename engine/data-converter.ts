/**
 * The product's one data converter, for its client, its worker and the workflow bundle: payloads through the codec
 * (AES-256-GCM, payload-codec.ts) and failures with their message and stack trace as an encoded payload
 * (failure-converter.ts), so the codec covers those too.
 */
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { fileURLToPath } from 'node:url';

export const failureConverterPath = fileURLToPath(new URL('./failure-converter.ts', import.meta.url));

export function productDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}
