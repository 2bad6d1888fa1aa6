import { createServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Gateway } from './create-gateway.js';
import { TARGET_PROBLEM, type TargetProblem } from './edge.js';

/** `http://authority/rest` and `https://…`, scheme case-insensitive (RFC 9112 §3.2.2). */
const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)(.*)$/i;
/** Characters that make a Host something more than `host[:port]`: a path, a query, a userinfo, a space. */
const NOT_IN_AUTHORITY = /[\s/?#@\\]/;

/** The last Host found good: behind a load balancer nearly every request carries the same one. */
let lastAuthority = '';

/** `host[:port]`: a name, an IPv4 or a bracketed IPv6 address, a port up to 65535, nothing else. */
export function isAuthority(text: string): boolean {
  if (text === lastAuthority) return true;
  const good = text !== '' && !NOT_IN_AUTHORITY.test(text) && URL.canParse(`http://${text}/`);
  if (good) lastAuthority = text;
  return good;
}

/** How many Host lines the request carries: Node keeps the first in `headers` and drops the rest. */
function hostLines(req: IncomingMessage): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    if (name?.length === 4 && name.toLowerCase() === 'host') count += 1;
  }
  return count;
}

/**
 * Makes the request one a URL can be built from, or says why it cannot be. @whatwg-node/server
 * builds `http://{Host}{target}` before any plugin runs, and answers an invalid one with HTTP 500
 * and the error's stack as the body. Origin-form (`/graphql`) passes when its Host is one
 * authority (RFC 9112 §3.2: exactly one, valid, and required in HTTP/1.1). Absolute-form
 * (`http://host/graphql`, which a server MUST accept, §3.2.2) becomes its path and query, with the
 * target's authority as the Host (the Host line is then ignored, as §3.2.2 says). Anything else
 * (`*`, a userinfo, another scheme, an authority that is no host[:port]) is a problem for the edge
 * to refuse. (Node's parser itself closes a target such as `graphql` with a bare 400.)
 */
function normaliseTarget(req: IncomingMessage): TargetProblem | undefined {
  const target = req.url ?? '';
  if (target.startsWith('/')) {
    const host = req.headers.host;
    if (host === undefined)
      return req.httpVersionMajor === 1 && req.httpVersionMinor === 0 ? undefined : 'invalid_host';
    return isAuthority(host) && hostLines(req) === 1 ? undefined : 'invalid_host';
  }
  const absolute = ABSOLUTE_FORM.exec(target);
  const authority = absolute?.[1];
  if (authority === undefined || !isAuthority(authority)) return 'invalid_target';
  const rest = absolute?.[2] ?? '';
  req.url = rest.startsWith('/') ? rest : `/${rest}`;
  req.headers.host = authority;
  return undefined;
}

/**
 * The gateway's node request listener: `main.ts` and the tests serve through this one. A request
 * whose target or Host cannot make a URL still goes through the gateway, as a request for `/` at
 * the reserved host `invalid` (RFC 6761) carrying its problem in the server context, so the edge
 * answers it like every other refusal: JSON with the request id, `no-store`, counted in
 * `gateway_http_refusals_total{reason}`, one access line.
 */
export function gatewayListener(gateway: Gateway): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const problem = normaliseTarget(req);
    if (problem === undefined) {
      void gateway.handle(req, res);
      return;
    }
    req.url = '/';
    req.headers.host = 'invalid';
    void gateway.handle(req, res, { [TARGET_PROBLEM]: problem });
  };
}

/**
 * An HTTP server for the gateway with {@link gatewayListener}, and its graphql-ws transport on
 * upgrade requests (`websocket.ts`). Node's own check for a missing Host (a bare 400 before any
 * listener) is off: the listener answers it as the edge's JSON 400 instead.
 */
export function createGatewayServer(gateway: Gateway): Server {
  const listener = gatewayListener(gateway);
  const server = createServer({ requireHostHeader: false }, listener);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.headers.upgrade?.toLowerCase() === 'websocket') gateway.webSockets.upgrade(req, socket, head);
    else servePlain(listener, req, socket as Socket, head);
  });
  // An upgraded socket is no HTTP connection any more: Node's closeAllConnections() leaves it
  // open, and server.close() would wait for it. Every caller (shutdown's grace timer, the tests)
  // means all of them.
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeAll();
    gateway.webSockets.terminate();
  };
  return server;
}

/**
 * An upgrade to anything but WebSocket (`curl --http2` on http:// asks for h2c), served as the plain
 * HTTP/1.1 request it also is, as Node did before an `upgrade` listener existed (a server may
 * ignore Upgrade, RFC 9110 §7.8), then the connection closes. Node has already ended the request
 * stream it handed over, with the body's first bytes in `head`: a copy of the request carries the
 * body, `Content-Length` bytes of it (a chunked body is refused by the body limit: 411).
 */
function servePlain(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
): void {
  const copy = new IncomingMessage(socket);
  Object.assign(copy, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
  });
  const declared = Number(req.headers['content-length'] ?? 0);
  const length = Number.isSafeInteger(declared) && declared > 0 ? declared : 0;
  let received = 0;
  const feed = (chunk: Buffer) => {
    const part = chunk.subarray(0, length - received);
    received += part.length;
    // Backpressure: IncomingMessage's _read resumes its socket when the reader wants more.
    if (part.length > 0 && !copy.push(part)) socket.pause();
    if (received < length) return;
    socket.off('data', feed);
    copy.complete = true;
    copy.push(null);
  };
  feed(head);
  if (received < length) socket.on('data', feed);
  const res = new ServerResponse(copy);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.on('finish', () => {
    socket.off('data', feed);
    res.detachSocket(socket);
    socket.destroySoon();
  });
  socket.on('error', () => socket.destroy());
  listener(copy, res);
}
