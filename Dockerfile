# syntax=docker/dockerfile:1
# npd-ts agent image. Build: docker build -t npd-ts:0.1.0 .
# Stages: build (compile TypeScript with the dev dependencies), deps (production dependencies
# only), and the runtime on node:24-slim with journalctl.

FROM node:24 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
# tsconfig.json also includes test/, bench/ and scripts/; without them only src/ is compiled, to dist/src/.
RUN npm run build

FROM node:24 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency needs an install script, and none should run at build time.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-slim
# journalctl, which the journald source spawns (`journalctl --follow -o json`). It ships only in
# Debian's systemd package; --no-install-recommends keeps it to systemd and its libraries (no
# dbus, no udev). Copying the binary alone would miss libsystemd-shared and its dependencies.
# systemd here is never run: the container's PID 1 is tini. Its journalctl must be as new as the
# host's journald file format (Debian's systemd reads the compact format of systemd >= 252).
# tini: PID 1 must reap orphans. A plugin's grandchild re-parented to PID 1 would stay <defunct> for
# the pod's life under node as PID 1 (Node never waits for processes it did not spawn), and each
# zombie counts against the pod's PID limit.
RUN apt-get update \
 && apt-get install -y --no-install-recommends systemd tini \
 && rm -rf /var/lib/apt/lists/*
# The runtime probe asks the sockets at their usual paths (monitors/runtime-monitor.json). The
# DaemonSet mounts the host's /run read-only at /host/run (a hostPath of a socket that may be absent
# would fail the pod), so point the usual paths there; a missing target reads as "not present".
# /var/run is a symlink to /run in Debian images.
RUN mkdir -p /run/containerd \
 && ln -s /host/run/containerd/containerd.sock /run/containerd/containerd.sock \
 && ln -s /host/run/docker.sock /run/docker.sock
WORKDIR /app
ENV NODE_ENV=production
# glibc gives each thread that mallocs its own arena, up to 8 per core; Node's threads (libuv's pool,
# V8's workers) barely use theirs. Two arenas: 0.5-2 MiB less RSS at idle (README, Performance).
ENV MALLOC_ARENA_MAX=2
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY package.json ./
# Shipped monitor definitions and profiles (the DaemonSet mounts the ConfigMap copies over
# --monitors-dir/--config-dir; the image works on its own with these).
COPY monitors ./monitors
COPY config ./config
# Node's module compile cache, filled here: every module of the agent is compiled once at build time
# and a start reads the compiled code instead (README, Performance: start-up). A read-only root
# filesystem only stops new entries from being written.
ENV NODE_COMPILE_CACHE=/app/.compile-cache
RUN node -e "const { readdirSync } = require('node:fs'); (async () => { for (const f of readdirSync('dist/src', { recursive: true })) if (f.endsWith('.js')) await import('./dist/src/' + f); })()" \
 && test -n "$(ls /app/.compile-cache)"
# 20256: /healthz and /conditions (--address:--port); 20257: /metrics (--prometheus-address:--prometheus-port).
EXPOSE 20256 20257
# Root: the host's /var/log, journal files and runtime sockets are root-only (see manifests/daemonset.yaml).
USER 0
# tini is PID 1 (reaps orphans, forwards SIGTERM to node). --disable-sigusr1: SIGUSR1 must not open
# the inspector on the node's loopback (hostNetwork) in a root process. The CLI itself makes V8 fall
# back to its linear-time engine on excessive backtracking (a bad rule cannot stall the agent on one
# log line), once it listens: a V8 flag here would make Node reject its built-in modules' code cache.
ENTRYPOINT ["tini", "--", "node", "--disable-sigusr1", "dist/src/app/npd.js"]
CMD ["run", "--profile", "default"]
