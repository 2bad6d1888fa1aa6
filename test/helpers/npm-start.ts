import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll } from 'vitest';

/** The variables of the test's own environment that would change how the gateway starts. */
const GATEWAY_VARIABLES =
  /^(PORT|HOST|SANDBOX_|DEMO_API_KEY|LOG_|GATEWAY_CONFIG|DATABASE_URL|REDIS_URL|OTEL_)/;

/**
 * `npm start` as an operator runs it (src/main.ts; sandbox mode unless `env` names a config), with `env`
 * over the test's environment less its gateway variables. Every process a file starts is killed after
 * its last test. `output()` is stdout and stderr as they came.
 */
export function npmStart() {
  const children = new Set<ChildProcess>();
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  return (env: Record<string, string>, args: string[] = []) => {
    const base = { ...process.env };
    for (const name of Object.keys(base)) if (GATEWAY_VARIABLES.test(name)) delete base[name];
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { ...base, LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_DELAY_MS: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return { child, output: () => out };
  };
}
