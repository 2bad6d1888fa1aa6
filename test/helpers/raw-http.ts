import { request } from 'node:http';

/**
 * One HTTP request with the request-target sent byte for byte (`//graphql`, `/graphql/.`,
 * `/%67raphql`): fetch and `new URL` would normalise some spellings before they leave, and an
 * attacker's client does not.
 */

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawRequest {
  method: string;
  /** The request-target exactly as sent, e.g. `//graphql?query=...`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export function rawRequest(baseUrl: string, r: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: r.method,
        path: r.path,
        headers: {
          ...(r.body !== undefined && { 'content-length': String(Buffer.byteLength(r.body)) }),
          ...r.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ status: res.statusCode ?? 0, headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // An SSE answer would stay open: a refusal is all these tests expect, so give it 5 s at most.
    req.setTimeout(5_000, () => req.destroy(new Error(`no answer to ${r.method} ${r.path} within 5 s`)));
    req.end(r.body);
  });
}
