# One image for every service: the command picks the subgraph or the gateway (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The Neo4j jars are not needed in containers: Neo4j runs as its own service there.
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY --from=build /app/schema ./schema
COPY --from=build /app/seed ./seed
USER node
CMD ["node", "dist/bin/gateway.js"]
