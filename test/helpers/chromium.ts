import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it), driven by playwright-core,
 * which brings no browser of its own. Tests under test/browser/ skip only where it is missing.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/**
 * The machine's network is closed: Chromium's own background traffic (updates, sync, field
 * trials, QUIC probes) would only wait and fail, so it is turned off. `--no-sandbox` because CI
 * runs as root, where Chromium's sandbox refuses to start.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserPage {
  page: Page;
  /** Console errors, uncaught page errors and failed loads, in order. */
  problems: string[];
  /** Requests to any other origin than `origin`: each was refused (the page must need none). */
  offOrigin: string[];
  /** `METHOD /path` of each request to `origin` (no query string), in order. */
  requested: string[];
  close(): Promise<void>;
}

/**
 * A headless Chromium with a fresh profile (no stored GraphiQL tabs or headers from an earlier run)
 * and one page that may reach `origin` only. The viewport is tall so that an editor (Monaco, which
 * draws only the lines in view) shows a whole answer.
 */
export async function openPage(origin: string): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), 'gateway-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 2600 },
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const problems: string[] = [];
  const offOrigin: string[] = [];
  const requested: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin) {
      requested.push(`${route.request().method()} ${url.pathname}`);
      return route.continue();
    }
    offOrigin.push(url.href);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A live stream the stop button ends is an aborted request: that is the button working.
    const stopped =
      request.failure()?.errorText === 'net::ERR_ABORTED' && request.headers().accept === 'text/event-stream';
    if (!stopped)
      problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  const open = context;
  return {
    page,
    problems,
    offOrigin,
    requested,
    close: async () => {
      await open.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
