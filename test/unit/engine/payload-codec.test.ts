import { defaultPayloadConverter, METADATA_ENCODING_KEY } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCodecServer } from '../../../engine/codec-server.js';
import { decodeJsonPayloads, payloadToJson } from '../../../engine/history-payloads.js';
import { EncryptionCodec, METADATA_KEY_ID, PayloadDecryptionError } from '../../../engine/payload-codec.js';
import { loadPayloadKeys, parsePayloadKeys } from '../../../engine/payload-keys.js';

const key = (id: string) => ({ id, key: randomBytes(32) });
const clear = (value: unknown) => defaultPayloadConverter.toPayload(value);
const text = (p: { data?: Uint8Array | null }) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8');
const SECRET = { email: 'kari@example.no', account: '86011117947' };

describe('the payload codec', () => {
  it('round trip: the encoded payload holds no clear text, says binary/encrypted and names its key; decode gives back the payload', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const original = clear(SECRET);
    const [encoded] = await codec.encode([original]);
    expect(Buffer.from(encoded!.metadata![METADATA_ENCODING_KEY]!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded!.metadata![METADATA_KEY_ID]!).toString()).toBe('k1');
    expect(text(encoded!)).not.toContain('kari');
    expect(text(encoded!)).not.toContain('86011117947');
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(SECRET);
    expect(Buffer.from(decoded!.metadata![METADATA_ENCODING_KEY]!).toString()).toBe('json/plain');
  });

  it('the same payload encrypts differently each time (a fresh IV)', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const [a, b] = await codec.encode([clear(SECRET), clear(SECRET)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotation: the newest key encrypts, an older one still decrypts what it encrypted', async () => {
    const old = key('2025');
    const [underOld] = await new EncryptionCodec([old]).encode([clear(SECRET)]);
    const rotated = new EncryptionCodec([key('2026'), old]);
    expect(rotated.encryptingKeyId).toBe('2026');
    const [underNew] = await rotated.encode([clear(SECRET)]);
    expect(Buffer.from(underNew!.metadata![METADATA_KEY_ID]!).toString()).toBe('2026');
    const decoded = await rotated.decode([underOld!, underNew!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([SECRET, SECRET]);
    // A codec that lost the old key cannot read it, and says which key it lacks.
    await expect(new EncryptionCodec([key('2026')]).decode([underOld!])).rejects.toThrow(/unknown key 2025/);
  });

  it('tamper: a flipped bit, a swapped key id or a cut payload fails to decode', async () => {
    const k1 = key('k1');
    const k2 = { id: 'k2', key: k1.key };
    const codec = new EncryptionCodec([k1, k2]);
    const [encoded] = await codec.encode([clear(SECRET)]);
    const flipped = Buffer.from(encoded!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.decode([{ ...encoded!, data: flipped }])).rejects.toBeInstanceOf(PayloadDecryptionError);
    // Same key bytes under another id: the id is authenticated, so this fails too.
    const swapped = { ...encoded!, metadata: { ...encoded!.metadata, [METADATA_KEY_ID]: Buffer.from('k2') } };
    await expect(codec.decode([swapped])).rejects.toBeInstanceOf(PayloadDecryptionError);
    await expect(codec.decode([{ ...encoded!, data: Buffer.from(encoded!.data!).subarray(0, 10) }])).rejects.toBeInstanceOf(PayloadDecryptionError);
    const noId = { ...encoded!, metadata: { [METADATA_ENCODING_KEY]: Buffer.from('binary/encrypted') } };
    await expect(codec.decode([noId])).rejects.toThrow(/without an encryption-key-id/);
  });

  it('passes payloads it did not encrypt through decode (histories before the codec, tests without it)', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const plain = clear('no secret');
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses keys that are not AES-256 and duplicate ids', () => {
    expect(() => new EncryptionCodec([{ id: 'short', key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => new EncryptionCodec([key('a'), key('a')])).toThrow(/twice/);
    expect(() => new EncryptionCodec([])).toThrow(/at least one key/);
  });

  it('decodes every encrypted payload of a proto-JSON history, at any depth', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const [a, b] = (await codec.encode([clear(SECRET), clear('x')])).map(payloadToJson);
    const tree = { events: [{ input: { payloads: [a] } }, { failure: { details: { payloads: [b, payloadToJson(clear(1))] } } }], other: 'kept' };
    const decoded = JSON.stringify(await decodeJsonPayloads(tree, codec));
    expect(decoded).toContain(Buffer.from(JSON.stringify(SECRET)).toString('base64'));
    expect(decoded).not.toContain('YmluYXJ5L2VuY3J5cHRlZA');
    expect(decoded).toContain('"other":"kept"');
  });

  it('a payload under a dropped key stays encrypted and is reported, when the caller asks for that; else it throws', async () => {
    const [old] = (await new EncryptionCodec([key('old')]).encode([clear(SECRET)])).map(payloadToJson);
    const current = new EncryptionCodec([key('new')]);
    const [fresh] = (await current.encode([clear('x')])).map(payloadToJson);
    const errors: string[] = [];
    const tree = (await decodeJsonPayloads({ a: old, b: fresh }, current, (err) => errors.push(err.message))) as Record<string, { metadata: Record<string, string> }>;
    expect(tree.a).toEqual(old);
    expect(Buffer.from(tree.b!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(errors).toEqual([expect.stringMatching(/unknown key old/)]);
    await expect(decodeJsonPayloads({ a: old }, current)).rejects.toThrow(/unknown key old/);
  });
});

describe('payload keys', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('PAYLOAD_KEYS: id:base64key, newest first; never echoes key material in errors', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    expect(parsePayloadKeys(`new:${a.toString('base64')}, old:${b.toString('base64')}`)).toEqual([
      { id: 'new', key: a },
      { id: 'old', key: b },
    ]);
    const short = randomBytes(16).toString('base64');
    expect(() => parsePayloadKeys(`bad:${short}`)).toThrow(/key bad is not 32 bytes/);
    try {
      parsePayloadKeys(`bad:${short}`);
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
    expect(() => parsePayloadKeys('nocolon')).toThrow(/id:base64key/);
    expect(() => parsePayloadKeys(' , ')).toThrow(/no key/);
  });

  it('without PAYLOAD_KEYS: one key generated once into DATA_DIR/payload-keys, mode 600, the same on the next start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fakturaflyt-keys-'));
    dirs.push(dir);
    const first = await loadPayloadKeys(undefined, dir);
    expect(first).toHaveLength(1);
    expect(first[0]!.key).toHaveLength(32);
    expect((await stat(join(dir, 'payload-keys'))).mode & 0o777).toBe(0o600);
    expect(await loadPayloadKeys(undefined, dir)).toEqual(first);
    expect(await readFile(join(dir, 'payload-keys'), 'utf8')).toMatch(/^[\w.-]+:[A-Za-z0-9+/=]{44}\n$/);
  });
});

describe('the codec endpoint for the Temporal UI', () => {
  it('decodes and encodes in the UI wire format, with CORS for the UI origin only', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const server = await startCodecServer({ codec, allowedOrigins: ['http://127.0.0.1:8233'] });
    try {
      const [encrypted] = (await codec.encode([clear(SECRET)])).map(payloadToJson);
      const post = (path: string, body: unknown, origin = 'http://127.0.0.1:8233') =>
        fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', origin, 'x-namespace': 'default' }, body: JSON.stringify(body) });

      const decoded = await post('/decode', { payloads: [encrypted] });
      expect(decoded.status).toBe(200);
      expect(decoded.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
      const [payload] = (await decoded.json()).payloads;
      expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(payload.data, 'base64').toString())).toEqual(SECRET);

      const encoded = await (await post('/encode', { payloads: [payload] })).json();
      expect(Buffer.from(encoded.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');

      // The browser's preflight, as the UI's fetch with X-Namespace causes.
      const preflight = await fetch(server.url + '/decode', { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:8233', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/x-namespace/);

      const foreign = await post('/decode', { payloads: [encrypted] }, 'http://evil.example');
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

      expect((await post('/decode', { nothing: true })).status).toBe(400);
      const tampered = { ...encrypted, data: Buffer.from('x'.repeat(40)).toString('base64') };
      expect((await post('/decode', { payloads: [tampered] })).status).toBe(422);
    } finally {
      await server.stop();
    }
  });
});
