# Production image: the gateway talks to a ClickHouse server, S3 (MinIO/AWS) and Redis,
# so optional packages (the embedded engine's platform library, benchmark peers) are pruned.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build also bundles the offline playground (with the example operations) and the validator.
COPY scripts ./scripts
COPY playground ./playground
COPY operations ./operations
RUN npm run build && npm prune --omit=dev --omit=optional

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY clickhouse ./clickhouse
# The registered operations: answered by hash, and the allow-list when OPERATIONS_ALLOW_LIST=true.
COPY operations/generated/persisted-documents.json ./operations/generated/persisted-documents.json
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:4000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/index.js"]
