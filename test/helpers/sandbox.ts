import {
  type Sandbox,
  type SandboxOptions,
  type StatsSnapshot,
  startSandbox,
} from '../../src/sandbox/index.js';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

/** A test's handle on a sandbox started on port 0, with helpers that speak its HTTP APIs. */
export interface SandboxHarness {
  sandbox: Sandbox;
  url: string;
  /** Any request to the sandbox, over real HTTP. */
  http(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: string },
  ): Promise<HttpAnswer>;
  /** A control-API call (`/sandbox/v1` + path) that must succeed; returns its JSON. */
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  stats(): Promise<StatsSnapshot>;
  /** Requests counted for one endpoint name, e.g. `onestore.token`. */
  count(endpoint: string): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(options: SandboxOptions = {}): Promise<SandboxHarness> {
  const sandbox = await startSandbox({ port: 0, ...options });
  const http: SandboxHarness['http'] = async (method, path, init = {}) => {
    const response = await fetch(`${sandbox.url}${path}`, { method, headers: init.headers, body: init.body });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  const control: SandboxHarness['control'] = async (method, path, body) => {
    const answer = await http(method, `/sandbox/v1${path}`, {
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (answer.status >= 300) throw new Error(`control ${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.json as never;
  };
  const stats = () => control<StatsSnapshot>('GET', '/stats');
  return {
    sandbox,
    url: sandbox.url,
    http,
    control,
    stats,
    count: async (endpoint) => (await stats()).endpoints[endpoint]?.total ?? 0,
    close: () => sandbox.close(),
  };
}
