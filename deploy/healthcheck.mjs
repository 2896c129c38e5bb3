#!/usr/bin/env node
// The container health check of the Dockerfile (docker-compose.yml's `api` and `worker` services). The API: GET
// /health answers 200 once the archive and the engine are reachable (503 while it starts or degrades). A worker has no
// port: it is healthy while READY_FILE exists, which main/start.ts writes once the worker polls and removes when it
// stops. Exit 0 = healthy, 1 = not (Docker's contract).
import { existsSync } from 'node:fs';

const role = process.env.FAKTURAFLYT_ROLE || 'all';
const readyFile = process.env.READY_FILE;

async function healthy() {
  if (role === 'worker') return Boolean(readyFile) && existsSync(readyFile);
  const res = await fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health`, { signal: AbortSignal.timeout(4000) });
  return res.status === 200;
}

healthy().then(
  (ok) => process.exit(ok ? 0 : 1),
  () => process.exit(1),
);
