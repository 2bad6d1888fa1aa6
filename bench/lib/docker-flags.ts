/**
 * The node flags the Docker image starts the gateway with, read from the Dockerfile's `CMD` (one
 * source of truth: the bench measures the gateway as deployed, and a change of the default there is
 * what the next bench run measures). `${NAME:-default}` and `$NAME` are expanded from the bench's
 * environment as the image's shell expands them from the container's, so
 * `GATEWAY_MAX_OLD_SPACE_MB=512 npm run bench` measures what `docker run -e GATEWAY_MAX_OLD_SPACE_MB=512` runs.
 */
import { readFileSync } from 'node:fs';

type Env = Readonly<Record<string, string | undefined>>;

/** `${NAME:-default}`, `${NAME}` and `$NAME` as sh expands them (unset or empty: the default or ''). */
function expand(word: string, env: Env): string {
  return word.replace(
    /\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g,
    (_, braced?: string, fallback?: string, bare?: string) => {
      const value = env[(braced ?? bare) as string];
      return value === undefined || value === '' ? (fallback ?? '') : value;
    },
  );
}

/** The words of the image's start command: exec form, or the command `sh -c` runs (quotes dropped). */
function commandWords(dockerfile: string): string[] {
  // The last instruction at the start of a line wins, as in Docker; HEALTHCHECK's own CMD is indented.
  const line = dockerfile.split('\n').findLast((l) => l.startsWith('CMD '));
  if (line === undefined) throw new Error('the Dockerfile has no CMD');
  const words = JSON.parse(line.slice(4)) as unknown;
  if (!Array.isArray(words) || !words.every((w) => typeof w === 'string'))
    throw new Error(`the Dockerfile's CMD is not in exec form: ${line}`);
  if (words[0] === 'sh' && words[1] === '-c') return (words[2] ?? '').replaceAll('"', '').split(/\s+/);
  return words;
}

/** The flags between `node` and its script in the Dockerfile's CMD, expanded from `env`. */
export function dockerNodeFlags(
  dockerfile: string = readFileSync('Dockerfile', 'utf8'),
  env: Env = process.env,
): string[] {
  const words = commandWords(dockerfile);
  const node = words.indexOf('node');
  if (node < 0) throw new Error(`the Dockerfile's CMD does not run node: ${words.join(' ')}`);
  const flags: string[] = [];
  for (const word of words.slice(node + 1)) {
    if (!word.startsWith('-')) break;
    flags.push(expand(word, env));
  }
  return flags;
}
