/**
 * Provider callbacks authenticate with CALLBACK_SECRET as `Authorization: Bearer <secret>` (DESIGN.md "Access").
 * Compared in constant time (over SHA-256 digests, so lengths do not leak either). Without a configured secret the
 * callback endpoints answer 503: they exist but are switched off, and nobody can push unauthenticated statuses.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendProblem } from './problem.js';

export function callbackAuth(secret: string | undefined): RequestHandler {
  const expected = secret ? digest(secret) : undefined;
  return (req, res, next) => {
    if (!expected) {
      sendProblem(res, 503, 'callbacks_not_configured', 'callbacks are switched off: set CALLBACK_SECRET and send it as Authorization: Bearer');
      return;
    }
    const match = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="callbacks"');
      sendProblem(res, 401, 'unauthorized', 'send CALLBACK_SECRET as Authorization: Bearer');
      return;
    }
    next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
