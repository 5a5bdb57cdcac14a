# One image recipe for every server in the monorepo; PACKAGE picks which one runs.
#   docker build --build-arg PACKAGE=services/spaces .
FROM node:20-bookworm-slim AS build
RUN npm install -g pnpm@10.34.9
WORKDIR /hub
COPY . .
RUN pnpm install --frozen-lockfile && pnpm exec turbo run build

FROM node:20-bookworm-slim
ARG PACKAGE
ENV NODE_ENV=production PACKAGE_DIR=/hub/${PACKAGE}
RUN npm install -g pnpm@10.34.9
WORKDIR /hub
COPY --from=build /hub /hub
WORKDIR /hub/${PACKAGE}
# Services apply their own migrations before serving; the gateway just serves.
CMD ["sh", "-c", "if [ -d prisma/migrations ]; then pnpm exec prisma migrate deploy; fi && exec node dist/index.js"]
