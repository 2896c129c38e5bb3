/**
 * The payload codec: every Temporal payload the product writes (workflow inputs, activity arguments and results,
 * signals, queries) is encrypted with AES-256-GCM before it reaches the engine, so a workflow history holds no
 * clear payload whatever a payload carries (DESIGN.md: "payloads that must carry personal data are encrypted by a
 * payload codec"). The shape follows Temporal's encryption sample (temporalio/samples-typescript `encryption/`):
 * the whole serialised payload is encrypted, its metadata says `encoding: binary/encrypted` and names the key in
 * `encryption-key-id`.
 *
 * Rotation: the codec holds several keys; the newest (the first) encrypts, every key decrypts, so histories
 * written under an older key stay readable after a new one is added. A payload without our encoding passes
 * decode unchanged: histories written before the codec, and tests whose workers run without it, keep working.
 *
 * Ciphertext: `iv (12 bytes) | ciphertext | tag (16 bytes)`, the key id as additional authenticated data, so a
 * payload whose key id was swapped fails like a tampered one (NIST SP 800-38D: 96-bit IV, 128-bit tag).
 */
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const Payload = proto.temporal.api.common.v1.Payload;

export interface PayloadKey {
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

/** A payload we cannot decrypt: unknown key id, tampered data or metadata. Never retried into success. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

export class EncryptionCodec implements PayloadCodec {
  private readonly keys = new Map<string, Buffer>();
  private readonly current: PayloadKey;
  /** What every payload it encrypts carries the same: the key id (its additional data and metadata), the encoding. */
  private readonly currentIdBytes: Buffer;
  private readonly encodingBytes = Buffer.from(ENCRYPTED_ENCODING);

  /** `keys`: newest first; the first encrypts, all decrypt. */
  constructor(keys: PayloadKey[]) {
    if (keys.length === 0) throw new Error('the payload codec needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`payload key ${id}: AES-256 needs 32 bytes, got ${key.length}`);
      if (this.keys.has(id)) throw new Error(`payload key ${id} is listed twice`);
      this.keys.set(id, key);
    }
    this.current = keys[0]!;
    this.currentIdBytes = Buffer.from(this.current.id, 'utf8');
  }

  get encryptingKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(this.currentIdBytes);
      const plain = Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: this.encodingBytes, [METADATA_KEY_ID]: this.currentIdBytes },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) return payload;
      const keyId = payload.metadata?.[METADATA_KEY_ID] ? Buffer.from(payload.metadata[METADATA_KEY_ID]).toString('utf8') : undefined;
      if (!keyId) throw new PayloadDecryptionError('encrypted payload without an encryption-key-id');
      const key = this.keys.get(keyId);
      if (!key) throw new PayloadDecryptionError(`encrypted payload under unknown key ${keyId}: add it to PAYLOAD_KEYS`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('encrypted payload too short');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(keyId, 'utf8'));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        const decoded = Payload.decode(plain);
        return { metadata: decoded.metadata, data: decoded.data };
      } catch {
        throw new PayloadDecryptionError(`encrypted payload under key ${keyId} does not authenticate (tampered, or the wrong key)`);
      }
    });
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding !== undefined && encoding !== null && Buffer.from(encoding).toString('utf8') === ENCRYPTED_ENCODING;
}
