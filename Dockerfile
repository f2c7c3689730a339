# One image for every KODA service. The command picks the service:
#   docker run koda gateway | orchestrator | plume | mimir | discussion | all (default)
# BASE_IMAGE is the official image of the runtime KODA targets; CI builds without any
# registry and passes a local equivalent (--build-arg BASE_IMAGE=koda-base:26).
ARG BASE_IMAGE=node:26-bookworm-slim

# Only the package manifests, so the npm ci layers below stay cached until a manifest changes.
FROM ${BASE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete && find . -type d -empty -delete

# Production dependencies only (workspace links included). `--omit=optional` also drops what
# only @koda/testcontainers' optional peer (testcontainers) pulls in; the one optional runtime
# package lost is msgpackr-extract, whose pure-JS fallback BullMQ uses instead.
FROM ${BASE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /app ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@koda/testcontainers /root/.npm

# Everything needed to build (TypeScript, Vite), then the build, then only what runs is laid
# out under /out, so the runtime stage takes it in one layer (fewer layers: each one is a full
# copy on storage drivers like vfs).
FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /app ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && rm -rf libs/testcontainers \
 && find libs services -mindepth 2 -maxdepth 2 ! -name package.json ! -name dist ! -name data ! -name web-dist -exec rm -rf {} + \
 && find dist libs services \( -name '*.tsbuildinfo' -o -name '*.map' -o -name '*.d.ts' -o -name '*.spec.js' \) -delete \
 && mkdir -p /out/app /out/notes /out/usr/local/bin \
 && cp -r package.json dist libs services scripts/containers/healthcheck.js /out/app/ \
 && install -m 755 scripts/containers/koda-entrypoint.sh /out/usr/local/bin/koda \
 && chown node:node /out/notes

FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    KODA_NOTES_DIR=/notes \
    PORT=3000
COPY --from=prod-deps /app/node_modules /app/node_modules
COPY --from=build /out /
WORKDIR /app
USER node
EXPOSE 3000
# runUntilSignal closes the service (HTTP, workers, Redis) on SIGTERM before exiting.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/app/healthcheck.js"]
ENTRYPOINT ["koda"]
CMD ["all"]
