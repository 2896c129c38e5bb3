/**
 * Links we send to people (the agreement page, the eFaktura invoice presentation) carry their own authority: an
 * HMAC-SHA256 over what they open and until when. Nobody logs in to open them, and a changed or expired link
 * opens nothing. The eFaktura rules ask that the presentation stays available for 16 months
 * (efaktura.no/developer/efaktura-how-does-it-work), so those links live at least that long.
 *
 * Token: base64url(JSON {p: purpose, s: subject, e: expires unix seconds}) + "." + base64url(HMAC).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type LinkPurpose = 'agreement' | 'presentation';

export interface LinkClaims {
  purpose: LinkPurpose;
  /** What the link opens, e.g. an invoice id, or `<supplier>:<branch>:<customer>` for an agreement. */
  subject: string;
  expiresAt: Date;
}

export class SignedLinks {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw new Error('the link secret must be at least 32 bytes');
  }

  sign(claims: LinkClaims): string {
    const body = Buffer.from(JSON.stringify({ p: claims.purpose, s: claims.subject, e: Math.floor(claims.expiresAt.getTime() / 1000) })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a genuine, unexpired token of this purpose; undefined for anything else. */
  verify(token: string, purpose: LinkPurpose, now = new Date()): LinkClaims | undefined {
    if (typeof token !== 'string' || token.length > 2048) return undefined;
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let parsed: { p?: unknown; s?: unknown; e?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (parsed.p !== purpose || typeof parsed.s !== 'string' || typeof parsed.e !== 'number') return undefined;
    if (parsed.e * 1000 <= now.getTime()) return undefined;
    return { purpose, subject: parsed.s, expiresAt: new Date(parsed.e * 1000) };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

/** LINK_SECRET if set; else a random secret made once and kept in DATA_DIR/link-secret (mode 600). */
export async function loadLinkSecret(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = join(dataDir, 'link-secret');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, secret.toString('base64'), { mode: 0o600, flag: 'wx' }).catch(async (err) => {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  });
  await chmod(file, 0o600);
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
}

/** Presentation links outlive the eFaktura minimum of 16 months; 18 leaves room for late payers. */
export const PRESENTATION_LINK_MONTHS = 18;
