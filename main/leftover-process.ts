/**
 * Servers an earlier run started and could not stop: `kill -9`, a crash or a closed terminal ends us without our exit
 * handlers, and the embedded PostgreSQL and the detached Temporal dev server keep their ports and data files. The next
 * start finds them by the pid they left (PostgreSQL's postmaster.pid, our pid file beside the dev server's SQLite file)
 * and stops them, but only a process whose command line still names that same data file: a recycled pid is left alone.
 */
import { readFileSync } from 'node:fs';

/** The pid on the first line of a pid file, if the file exists and holds one. */
export function readPidFile(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.split('\n')[0]?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The process's command line, or undefined when no such process runs (Linux /proc). */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** Whether the process still runs: a zombie (ended, not yet reaped by its new parent) no longer holds anything. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/**
 * Stops the process a pid file names, if it still runs with `marker` in its command line (stopLeftoverProcess).
 * Resolves to its pid if it stopped one.
 */
export async function stopLeftover(pidFile: string, marker: string, signal: NodeJS.Signals): Promise<number | undefined> {
  const pid = readPidFile(pidFile);
  return pid !== undefined && (await stopLeftoverProcess(pid, marker, signal)) ? pid : undefined;
}

/**
 * Stops process `pid` if its command line contains `marker` (a path only that server was started with): `signal`
 * first, SIGKILL after `graceMs`. Resolves true once it is gone, false if there was nothing of ours to stop.
 */
export async function stopLeftoverProcess(pid: number, marker: string, signal: NodeJS.Signals, graceMs = 10_000): Promise<boolean> {
  const command = commandLine(pid);
  if (command === undefined || !command.includes(marker) || pid === process.pid) return false;
  try {
    process.kill(pid, signal);
  } catch {
    return true; // it ended in between
  }
  const killAt = Date.now() + graceMs;
  let killed = false;
  while (running(pid)) {
    if (!killed && Date.now() > killAt) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        break;
      }
      killed = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
