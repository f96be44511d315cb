# syntax=docker/dockerfile:1
# Phlix Hub image: build with the full toolchain, run on a slim image with production deps only.
#   docker build -t phlix-hub .
#   docker run -d --name hub -p 8800:8800 -p 8802:8802 -v phlix-hub-data:/data \
#     -e HUB_PUBLIC_URL=https://hub.example.com --stop-timeout 30 phlix-hub
# Tested runtime is Node 20.20; several dependencies declare node >= 22 and Node 20 is end-of-life,
# so the image defaults to 22. `--build-arg NODE_VERSION=20.20.2` reproduces the tested runtime.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Toolchain for native modules (argon2, better-sqlite3, bufferutil) when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# package.json's "allowScripts" (which packages may run install scripts) needs npm >= 11.
RUN npm install -g npm@11.19.1 --no-audit --no-fund
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# the web app (web/, its own lockfile): `npm run build` installs it and builds it into web/dist
COPY web ./web
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HUB_HOST=0.0.0.0 \
    HUB_PORT=8800 \
    HUB_RELAY_PORT=8802 \
    HUB_DATA_DIR=/data \
    HUB_LOG_LEVEL=info \
    HUB_SHUTDOWN_DRAIN_MS=10000 \
    DB_RUN_MIGRATIONS=true
WORKDIR /app
RUN groupadd --system --gid 10001 phlix \
 && useradd --system --uid 10001 --gid phlix --home-dir /data --no-create-home --shell /usr/sbin/nologin phlix \
 && mkdir -p /data && chown phlix:phlix /data && chmod 700 /data
# Application files stay root-owned (read-only for the service user); only /data is writable.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
USER phlix:phlix
VOLUME ["/data"]
EXPOSE 8800 8802
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HUB_PORT||8800)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains for HUB_SHUTDOWN_DRAIN_MS (+5 s for API requests): give `docker stop` at least 30 s.
STOPSIGNAL SIGTERM
# young generation pinned at the measured size; relayed buffers freed in each young collection (bench/BENCHMARKS.md)
CMD ["node", "--max-semi-space-size=16", "--no-concurrent-array-buffer-sweeping", "dist/main.js"]
