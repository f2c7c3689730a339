# One image for every KODA service; docker-compose picks the entry point per container.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY libs/llm/package.json libs/llm/
COPY libs/notes/package.json libs/notes/
COPY libs/intent/package.json libs/intent/
COPY libs/client/package.json libs/client/
COPY services/gateway/package.json services/gateway/
COPY services/orchestrator/package.json services/orchestrator/
COPY services/agents/package.json services/agents/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
CMD ["node", "dist/start-all.js"]
