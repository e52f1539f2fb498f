import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { apiKeyDigest, type Role } from './config';
import { AppError } from './errors';

/** The caller as the API sees it: a role when a known API key was sent, otherwise anonymous. */
export interface Caller {
  role: Role | 'anonymous';
  /** Set when a key was sent that the configuration does not know. */
  unknownKey: boolean;
  /** Who holds the key: its configured label, else "key <first 8 hex digits of its digest>" (never the key). */
  label?: string;
}

/** The API key from `x-api-key` or `Authorization: Bearer <key>`. */
export function apiKeyFrom(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): string | undefined {
  const direct = headers['x-api-key'];
  if (typeof direct === 'string' && direct) return direct;
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  return undefined;
}

/**
 * The caller a request's key makes it. `keys` maps key digests (config's `apiKeys`) to roles; the presented key's
 * digest is compared with every one in constant time, so neither timing nor an early exit tells how close a guess was.
 */
export function callerFrom(
  headers: Parameters<typeof apiKeyFrom>[0],
  keys: ReadonlyMap<string, Role>,
  labels: ReadonlyMap<string, string> = new Map(),
): Caller {
  const key = apiKeyFrom(headers);
  if (key === undefined) return { role: 'anonymous', unknownKey: false };
  const digest = apiKeyDigest(key);
  const presented = Buffer.from(digest, 'hex');
  let role: Role | undefined;
  for (const [digest, keyRole] of keys) {
    if (timingSafeEqual(presented, Buffer.from(digest, 'hex'))) role = keyRole;
  }
  return role
    ? { role, unknownKey: false, label: labels.get(digest) ?? `key ${digest.slice(0, 8)}` }
    : { role: 'anonymous', unknownKey: true };
}

const RANK: Record<Caller['role'], number> = { anonymous: 0, reader: 1, researcher: 2, curator: 3 };

/** Throws UNAUTHENTICATED without a known key, FORBIDDEN when the key's role is below `needed`. */
export function requireRole(caller: Caller, needed: 'researcher' | 'curator'): void {
  if (caller.role === 'anonymous') {
    throw new AppError(
      'UNAUTHENTICATED',
      caller.unknownKey ? 'The API key is not known.' : `This operation needs an API key with the ${needed} role (x-api-key header).`,
    );
  }
  if (needed === 'curator' ? caller.role !== 'curator' : RANK[caller.role] < RANK[needed]) {
    throw new AppError('FORBIDDEN', `This operation needs the ${needed} role; the API key has the ${caller.role} role.`);
  }
}
