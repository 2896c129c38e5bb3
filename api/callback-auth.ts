/** Provider callbacks authenticate with CALLBACK_SECRET as `Authorization: Bearer` (DESIGN.md "Access"). */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HttpError } from './problem.js';

export function requireCallbackSecret(req: Request, secret: string | undefined): void {
  if (!secret) throw new HttpError(503, 'callbacks_disabled', 'set CALLBACK_SECRET to accept provider callbacks');
  const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
  // Compared as digests: equal length, constant time, whatever was sent.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  if (!timingSafeEqual(digest(given), digest(secret))) throw new HttpError(401, 'unauthorized', 'a provider callback needs Authorization: Bearer <CALLBACK_SECRET>');
}
