# verbatim in a container: `docker build -t verbatim .` (not built by CI: no Docker engine runs there; the
# npm scripts it runs, `npm ci` and `npm run build`, are what `npm test` exercises). See docs/operations.md.

# Build stage: every dependency, then the compiled program in dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Run stage: runtime dependencies and dist/ only, as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data HEALTH_PORT=9464 HEALTH_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
  && mkdir -p /data && chown node:node /data
COPY --from=build /app/dist ./dist
USER node
VOLUME ["/data"]
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HEALTH_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
