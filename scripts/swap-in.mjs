import { existsSync, renameSync, rmSync } from 'node:fs';

/**
 * Tests and running workers read what the setup installs: a new copy goes in with two renames (the gap is
 * microseconds, where deleting the old copy first left it missing for as long as the delete took), then the old one
 * is deleted.
 */
export function swapIn(building, dir) {
  const retired = `${dir}.retired-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, retired);
  renameSync(building, dir);
  rmSync(retired, { recursive: true, force: true });
}
