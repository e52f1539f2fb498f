import { createHash } from 'node:crypto';

/**
 * A stable fingerprint of what an importer is about to write: equal for the same content, different after any change.
 * Stored as `contentHash`, it tells a re-import what it may leave unchanged.
 */
export const contentHash = (value: unknown): string => createHash('sha1').update(JSON.stringify(value)).digest('hex');
