/** Registers the invoice search attributes on a namespace (idempotent): the dev server at start, tests on theirs. */
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { searchAttributes } from './definitions.js';

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

export async function registerSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace = 'default'): Promise<void> {
  const wanted = Object.fromEntries(Object.values(searchAttributes).map((key) => [key.name, KEYWORD]));
  // The time-skipping test server can add search attributes but not list them.
  const existing = await connection.operatorService.listSearchAttributes({ namespace }).then(
    (r) => Object.keys(r.customAttributes ?? {}),
    () => [] as string[],
  );
  const missing = Object.fromEntries(Object.entries(wanted).filter(([name]) => !existing.includes(name)));
  if (Object.keys(missing).length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (err) {
    // Another starter registered them first.
    if (!/already exists/i.test((err as Error).message)) throw err;
  }
}
