/**
 * The store sandbox as the upstream of every contestant: a separate process running the compiled
 * CLI (dist/sandbox/cli.js) pinned to the load generator's core, and its control API.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { DEMO } from './scenarios.js';

export interface SandboxStats {
  total: number;
  byStatus: Record<string, number>;
  endpoints: Record<string, { total: number; byStatus: Record<string, number> }>;
}

export class SandboxProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(port: number, core: number): Promise<SandboxProcess> {
    const args = ['-c', String(core), process.execPath, 'dist/sandbox/cli.js', '--port', String(port)];
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const [chunk] = (await once(child.stdout ?? child, 'data')) as [Buffer];
    if (!chunk.toString().includes('listening'))
      throw new Error(`sandbox did not start: ${chunk.toString()}`);
    child.stdout?.resume();
    return new SandboxProcess(child, `http://127.0.0.1:${port}`);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('sandbox has no pid');
    return this.child.pid;
  }

  async control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}/sandbox/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${path}: HTTP ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }

  /** Demo data again, no faults, zero counters: every measurement starts from the same store. */
  async reset(): Promise<void> {
    await this.control('POST', '/reset', { demo: true });
  }

  async stats(): Promise<SandboxStats> {
    return (await this.control('GET', '/stats')) as SandboxStats;
  }

  async clearStats(): Promise<void> {
    await this.control('DELETE', '/stats');
  }

  async fault(endpoint: string, latencyMs: number): Promise<void> {
    await this.control('POST', '/faults', { endpoint, latencyMs });
  }

  /**
   * `count` new managed-product purchases of the demo app (acknowledged, so the 3-day rule never
   * voids them mid-run), created `parallel` at a time; answers their tokens in creation order.
   */
  async createPurchases(
    count: number,
    options: { productId: string; developerPayload?: string; parallel?: number },
  ): Promise<string[]> {
    const tokens: string[] = new Array(count);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const record = (await this.control('POST', '/onestore/purchases', {
          clientId: DEMO.clientId,
          productId: options.productId,
          type: 'inapp',
          acknowledged: true,
          ...(options.developerPayload !== undefined && { developerPayload: options.developerPayload }),
        })) as { purchaseToken: string };
        tokens[index] = record.purchaseToken;
      }
    };
    await Promise.all(Array.from({ length: options.parallel ?? 16 }, worker));
    return tokens;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
