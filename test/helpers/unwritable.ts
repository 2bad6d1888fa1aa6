import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Making a file unwritable the way an operator's mistake or a failing disk does. `chmod` stops
 * anyone but root, and only at open: a descriptor already open for writing keeps writing. Root
 * (these tests' CI runs as root) ignores modes altogether; the immutable attribute (`chattr +i`, ext4
 * and most Linux file systems) stops root too, and since Linux 5.x also writes through descriptors
 * already open. `how` is what works here: `chattr`, `chmod` (not root: start-up cases only), or null
 * (neither: the cases are skipped).
 */
export const how: 'chattr' | 'chmod' | null = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'unwritable-probe-'));
  const file = join(dir, 'f');
  writeFileSync(file, 'x');
  try {
    if (process.getuid?.() !== 0) {
      chmodSync(file, 0o444);
      accessSync(file, constants.W_OK);
      return null;
    }
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    try {
      accessSync(file, constants.W_OK);
      return null;
    } catch {
      return 'chattr';
    } finally {
      execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
    }
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EACCES' ? 'chmod' : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/** True when a file already open for writing can be stopped from writing (`chattr` only). */
export const midRun = how === 'chattr';

/** Makes `path` (a file or a directory) unwritable; resolves to the function that undoes it. */
export function makeUnwritable(path: string): () => void {
  if (how === 'chattr') {
    execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
    return () => execFileSync('chattr', ['-i', path], { stdio: 'ignore' });
  }
  if (how === 'chmod') {
    const mode = statSync(path).mode & 0o777;
    chmodSync(path, mode & ~0o222);
    return () => chmodSync(path, mode);
  }
  throw new Error('cannot make a file unwritable here (see `how`)');
}
