import { parseArgs } from 'node:util';
import { DEMO_ONESTORE, demoInfo } from './demo.js';
import { startSandbox } from './index.js';

/** Default port of `npm run sandbox`. */
const DEFAULT_PORT = 4010;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? String(DEFAULT_PORT) },
    host: { type: 'string', default: '127.0.0.1' },
    'no-demo': { type: 'boolean', default: false },
    // ONE store payment notifications: `URL` for the demo app, or `clientId=URL`; repeatable.
    'pns-url': {
      type: 'string',
      multiple: true,
      default: process.env.SANDBOX_PNS_URL ? [process.env.SANDBOX_PNS_URL] : [],
    },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(
    `Usage: npm run sandbox -- [--port ${DEFAULT_PORT}] [--host 127.0.0.1] [--no-demo] [--pns-url [clientId=]URL ...]`,
  );
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a TCP port number, got ${values.port}`);
  process.exit(2);
}

const onestoreNotificationUrls: Record<string, string> = {};
for (const entry of values['pns-url']) {
  const split = /^([^=]+)=(https?:\/\/.+)$/.exec(entry);
  const [clientId, url] = split ? [split[1] ?? '', split[2] ?? ''] : [DEMO_ONESTORE.clientId, entry];
  if (!URL.canParse(url) || !/^https?:/.test(url)) {
    console.error(`--pns-url must be an http(s) URL or clientId=URL, got ${entry}`);
    process.exit(2);
  }
  onestoreNotificationUrls[clientId] = url;
}

const sandbox = await startSandbox({
  port,
  host: values.host,
  demo: !values['no-demo'],
  onestoreNotificationUrls,
});
const demo = demoInfo(sandbox.core, sandbox.url);
console.log(`Store sandbox listening on ${sandbox.url}`);
console.log(
  `  ONE store v7:  ${sandbox.url}/v7/...   NHN Cloud IAP: ${sandbox.url}/inapp/v3/..., /standard/...`,
);
console.log(`  Gamebase:      ${sandbox.url}/tcgb-inapp/v1.3/apps/{appId}/...`);
console.log(`  Control API:   ${sandbox.url}/sandbox/v1/  (GET /sandbox/v1/demo lists the demo data)`);
if (!values['no-demo']) {
  console.log(
    `  Demo ONE store app: client_id=${demo.onestore.clientId} client_secret=${demo.onestore.clientSecret}`,
  );
  console.log(
    `  Demo ONE store PNS: ${demo.onestore.pns.notificationUrl ?? 'off (--pns-url URL)'}; licence key (demo only) in /sandbox/v1/demo`,
  );
  console.log(`  Demo NHN app: appSeq=${demo.nhncloud.appSeq} userKey=tester`);
  console.log(
    `  Demo Gamebase app: appId=${demo.gamebase.appId} X-Secret-Key=${demo.gamebase.secretKey} userId=${demo.gamebase.userId}`,
  );
}

const stop = () => {
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
