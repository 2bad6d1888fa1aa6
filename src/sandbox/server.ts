import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleControl } from './control/api.js';
import type { SandboxCore } from './core.js';
import type { FaultRule, PhaseDecision, StoreName } from './faults.js';
import { handleGamebase, routeGamebase } from './gamebase/api.js';
import { gamebaseFailure } from './gamebase/codes.js';
import { hasUnreadBody, originForm, type Reply, splitUrl, writeReply } from './http-io.js';
import { handleNhn, nhnFailure, routeNhn } from './nhncloud/api.js';
import { handleOneStore } from './onestore/api.js';
import { errorReply, isStandardCode, STANDARD_CODES } from './onestore/codes.js';
import { routeOneStore } from './onestore/routes.js';
import { DROPPED } from './stats.js';

const CONTROL_PREFIX = '/sandbox/v1/';

function errorPage(status: number): Reply {
  const title = `${status} Error`;
  return {
    status,
    html: `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
  };
}

/** `resultCode` answers in the envelope of the request's store (NHN's, or Gamebase's for Gamebase). */
function ownReply(rule: FaultRule, store: StoreName): Reply | undefined {
  if (rule.code !== undefined) {
    if (isStandardCode(rule.code)) return errorReply(rule.code, undefined, rule.status);
    return { status: rule.status ?? 500, body: { error: { code: rule.code, message: 'Injected fault.' } } };
  }
  if (rule.resultCode !== undefined)
    return store === 'gamebase' ? gamebaseFailure(rule.resultCode) : nhnFailure(rule.resultCode);
  if (rule.status !== undefined || !rule.cut) return errorPage(rule.status ?? 500);
  return undefined;
}

/**
 * The rule's answer: its own (code, result code or status), else the real one (`after` phase) or,
 * before any handling, an empty 200; with its `Retry-After` and cut as the rule says.
 */
function faultReply(rule: FaultRule, store: StoreName, real?: Reply): Reply {
  const reply = ownReply(rule, store) ?? real ?? { status: 200 };
  const headers =
    rule.retryAfterSeconds === undefined
      ? reply.headers
      : { ...reply.headers, 'retry-after': String(rule.retryAfterSeconds) };
  return { ...reply, ...(headers && { headers }), ...(rule.cut && { cut: true }) };
}

function maintenanceReply(store: StoreName, retryAfter: number | undefined): Reply {
  const reply =
    store === 'onestore' ? errorReply('ServiceMaintenance') : errorPage(STANDARD_CODES.ServiceMaintenance[0]);
  return retryAfter === undefined ? reply : { ...reply, headers: { 'retry-after': String(retryAfter) } };
}

/** Which store a path belongs to, the endpoint name for stats and faults, and how to answer it. */
function dispatch(req: IncomingMessage, path: string, query: URLSearchParams, core: SandboxCore) {
  const method = req.method ?? 'GET';
  if (path.startsWith('/inapp/') || path.startsWith('/standard/')) {
    const route = routeNhn(method, path);
    return {
      store: 'nhncloud' as const,
      endpoint: route.kind === 'none' ? 'unmatched' : `nhncloud.${route.endpoint}`,
      answer: () => handleNhn(route, req, core.nhn, core.maxBodyBytes),
    };
  }
  if (path.startsWith('/tcgb-')) {
    const route = routeGamebase(method, path);
    return {
      store: 'gamebase' as const,
      endpoint: route.kind === 'none' ? 'unmatched' : `gamebase.${route.endpoint}`,
      answer: () => handleGamebase(route, req, query, core.gamebase, core.maxBodyBytes, core.clock.now()),
    };
  }
  const route = routeOneStore(method, path);
  return {
    store: 'onestore' as const,
    endpoint: route.kind === 'none' ? 'unmatched' : `onestore.${route.endpoint}`,
    answer: () => handleOneStore(route, req, query, core.onestoreDeps),
  };
}

/**
 * Answers a store request. The common case (no fault, a GET) runs synchronously and creates no
 * promise: the lookups are what the gateway benchmarks hammer (bench/sandbox.ts).
 *
 * Faults act in two phases: `before` rules replace the handling (nothing changes in the store);
 * `after` rules let the request be handled for real, then delay, drop or replace its answer.
 */
function handleStoreRequest(
  req: IncomingMessage,
  res: ServerResponse,
  core: SandboxCore,
): void | Promise<void> {
  const { path, query } = splitUrl(req.url ?? '/');
  const { store, endpoint, answer } = dispatch(req, path, query, core);
  const send = (reply: Reply) => {
    core.stats.record(endpoint, reply.status);
    writeReply(res, reply, hasUnreadBody(req));
  };
  // Drops or answers for a fault rule (`real`: the handled answer, in the after phase); false
  // when there is no rule with an answer.
  const faulted = (rule: FaultRule | undefined, real?: Reply): boolean => {
    if (rule?.drop) {
      core.stats.record(endpoint, DROPPED);
      req.socket.destroy();
      return true;
    }
    if (rule) send(faultReply(rule, store, real));
    return rule !== undefined;
  };
  if (core.maintenance.isOn(store))
    return send(maintenanceReply(store, core.maintenance.retryAfterSeconds(store)));
  const decision = core.faults.decide(endpoint);
  const { after } = decision;
  const finish = after
    ? (reply: Reply) =>
        afterPhase(after, () => {
          if (!faulted(after.rule, reply)) send(reply);
        })
    : send;
  const act = (): void | Promise<void> => {
    if (faulted(decision.rule)) return;
    const answered = answer();
    return answered instanceof Promise ? answered.then(finish) : finish(answered);
  };
  return decision.latencyMs > 0 ? sleep(decision.latencyMs).then(act) : act();
}

/** The `after` phase: the real answer is decided (state applied); wait, then let the rule act. */
function afterPhase(after: PhaseDecision, then: () => unknown): void | Promise<void> {
  if (after.latencyMs <= 0) {
    then();
    return;
  }
  return sleep(after.latencyMs).then(() => {
    then();
  });
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
}

export async function listen(core: SandboxCore, port: number, host: string): Promise<RunningServer> {
  let baseUrl = '';
  const server = createServer((req, res) => {
    // Every route below reads the origin-form; the Host header is never read, so no Host can fail it.
    if (req.url !== undefined) req.url = originForm(req.url);
    const fail = (error: unknown) => {
      if (res.headersSent) res.destroy();
      else
        writeReply(
          res,
          { status: 500, body: { error: { code: 'InternalError', message: String(error) } } },
          true,
        );
    };
    try {
      const task = req.url?.startsWith(CONTROL_PREFIX)
        ? handleControl(req, splitUrl(req.url).path, core, baseUrl).then((reply) =>
            writeReply(res, reply, hasUnreadBody(req)),
          )
        : handleStoreRequest(req, res, core);
      task?.catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${shownHost}:${address.port}`;
  return { server, url: baseUrl, port: address.port };
}
