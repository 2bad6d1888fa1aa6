# syntax=docker/dockerfile:1
# Entitlement gateway: build with the full toolchain, run with production dependencies only.
#
#   docker build -t entitlement-gateway .
#   docker run -p 4000:4000 -v "$PWD/gateway.json:/config/gateway.json:ro" \
#     -e ONESTORE_CLIENT_SECRET_MY_GAME=... entitlement-gateway
#
# The config file format is in docs/gateway.example.json; secrets come from the environment.
# Sandbox mode (embedded store simulator with demo data, no config):
#   docker run -p 4000:4000 -e GATEWAY_CONFIG= entitlement-gateway

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The embedded ledger's driver (better-sqlite3) is a native module: node-gyp compiles it here.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The lockfile names the client workspace; npm ci wants its manifest (the gateway does not use it).
COPY packages/client/package.json ./packages/client/
# Install scripts stay off for every dependency; the one native module is then built from source,
# explicitly (no prebuilt binary downloaded), for this image's Node and libc.
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && npm_config_build_from_source=true npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
# Production dependencies only, keeping the compiled module; its sources and objects are not needed to run.
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
  && cd node_modules/better-sqlite3 \
  && rm -rf deps src build/Release/obj build/Release/obj.target build/Release/.deps build/Release/test_extension.node

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 GATEWAY_CONFIG=/config/gateway.json
WORKDIR /app
COPY package.json package-lock.json ./
# Built in the same base image (same Node ABI and glibc), so the native module loads here as is.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at start when `persistedOperations` is on (resolved as ../../schema from dist/server).
COPY schema/persisted-operations.json ./schema/
# The support console's page, script and style, served when `console.enabled` (read as
# ../../../src/server/console/assets from dist/server/console).
COPY src/server/console/assets/console.html src/server/console/assets/console-lib.js src/server/console/assets/console.js src/server/console/assets/console.css ./src/server/console/assets/
# The app's files stay owned by root and read-only to the process; it runs as the image's `node` user.
# The embedded grant ledger (no DATABASE_URL) is one SQLite file, /app/data/ledger/ledger.sqlite:
# mount a volume on /app/data, or set DATABASE_URL to a PostgreSQL shared by every replica.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 4000
# slim images have no curl: Node's fetch does the liveness probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap (docs/operations.md#memory), set the way Node supports: V8 flags on the command line, read
# when V8 creates the heap; the process sets none on itself. --max-old-space-size bounds it: default
# 256 MB, about 5x the live heap under load; `docker run -e GATEWAY_MAX_OLD_SPACE_MB=512` changes it.
# --heap-growing-percent=75 lets the old generation grow 1.75x between full collections: under a
# 256 MB bound V8 alone allows 1.3x, which cost the 50-check batch 15-28 % more CPU per request
# (BENCHMARKS.md, issue 25). An upgrade of Node whose V8 drops the flag fails at start ("bad option").
# `npm run bench` runs the gateway with the flags of this line (bench/lib/docker-flags.ts).
CMD ["sh", "-c", "exec node --max-old-space-size=${GATEWAY_MAX_OLD_SPACE_MB:-256} --heap-growing-percent=75 dist/main.js"]
