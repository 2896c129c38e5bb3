/**
 * Who is calling (DESIGN.md "Access", issue 9). Every route declares who may call it with `allow(...)`: API key
 * roles, and `callback` for providers authenticated by CALLBACK_SECRET. Routes without `allow` are the open ones:
 * /health, /metrics, the OpenAPI document, and the pages we send to people, whose signed token authorises them.
 *
 * An erp key acts only for its suppliers: `supplierScope` is what every read and write of invoices filters by,
 * and an invoice outside it is answered as not found, so a key learns nothing of other suppliers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { verifyApiKey, type ApiKey, type Role } from '../archive/api-keys.js';
import type { Db } from '../archive/database.js';
import { sendProblem } from './problem.js';

export type Caller = { kind: 'key'; key: ApiKey } | { kind: 'callback' };
export type Allowed = Role | 'callback';

export interface AuthDeps {
  db: Db;
  callbackSecret?: string;
}

/** The route's declaration of who may call it; answers 401 (who are you?) or 403 (not you) itself. */
export function allow(deps: AuthDeps, ...allowed: Allowed[]): RequestHandler<Record<string, string>> {
  const callbacksOnly = allowed.length === 1 && allowed[0] === 'callback';
  return async (req, res, next) => {
    try {
      // A callback endpoint without CALLBACK_SECRET exists but is switched off: nobody may push unauthenticated statuses.
      if (callbacksOnly && !deps.callbackSecret) {
        return sendProblem(res, 503, 'callbacks_not_configured', 'callbacks are switched off: set CALLBACK_SECRET and send it as Authorization: Bearer');
      }
      const token = bearer(req.get('authorization'));
      if (token === undefined) return unauthorized(res, 'send an API key as Authorization: Bearer <key>');
      let caller: Caller | undefined;
      if (deps.callbackSecret && sameSecret(token, deps.callbackSecret)) caller = { kind: 'callback' };
      else {
        const key = await verifyApiKey(deps.db, token);
        if (key) caller = { kind: 'key', key };
      }
      if (!caller) return unauthorized(res, 'the API key is not valid (unknown, revoked or mistyped)');
      const role: Allowed = caller.kind === 'callback' ? 'callback' : caller.key.role;
      if (!allowed.includes(role)) return sendProblem(res, 403, 'forbidden', `this endpoint is for ${allowed.join(', ')}; the key's role is ${role}`);
      res.locals.caller = caller;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error('route without allow(): no caller');
  return caller;
}

/** The suppliers the caller may see and act for; undefined = all (ops, support, admin). */
export function supplierScope(res: Response): readonly string[] | undefined {
  const caller = callerOf(res);
  return caller.kind === 'key' && caller.key.role === 'erp' ? caller.key.suppliers : undefined;
}

export function inScope(res: Response, supplierOrg: string): boolean {
  const scope = supplierScope(res);
  return scope === undefined || scope.includes(supplierOrg);
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S{1,512})\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Compared as digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(given: string, secret: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(secret));
}

function unauthorized(res: Response, message: string): void {
  res.set('WWW-Authenticate', 'Bearer realm="fakturaflyt"');
  sendProblem(res, 401, 'unauthorized', message);
}
