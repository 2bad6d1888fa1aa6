import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LedgerConfigError } from './types.js';

const LOCK_FILE = 'gateway-ledger.lock';
/** Directories this process holds: a second open in the same process is refused too. */
const held = new Set<string>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claims an embedded ledger's directory for this process: its start-up recovery takes over every
 * pending grant, live leases included, which is right only when no other process can hold them. The
 * lock file holds the owner's pid; a file left by a process that is gone (a crash, a SIGKILL) is taken
 * over, and so is one carrying our own pid, which a container restart reuses (node often runs as pid 1). Resolves to the release function.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(resolve(dataDir), LOCK_FILE);
  if (held.has(path))
    throw new LedgerConfigError(`the embedded ledger in ${dataDir} is already open in this process`);
  await mkdir(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      held.add(path);
      return async () => {
        if (!held.delete(path)) return;
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new LedgerConfigError(
          `the embedded ledger in ${dataDir} is in use by process ${owner}; one process per directory (use DATABASE_URL for several replicas)`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new LedgerConfigError(`cannot lock the embedded ledger in ${dataDir}`);
}
