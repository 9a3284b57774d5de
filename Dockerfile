# syntax=docker/dockerfile:1
# Beacon images. Two targets:
#   control-plane (default): `beacon server`, non-root, health-checked on /api/v1/health
#   data-plane: `beacon collect` / `beacon agent` with the eBPF probe; needs
#               docker run --privileged --network=host -v /sys/kernel/btf:/sys/kernel/btf:ro
# Build: docker build -t beacon . ; docker build --target data-plane -t beacon-dataplane .

FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ pkg-config clang llvm libbpf-dev libelf-dev bpftool \
 && rm -rf /var/lib/apt/lists/*
ENV COREPACK_INTEGRITY_KEYS=0 CI=true
RUN corepack enable
WORKDIR /src
# The manifests first, so the dependency layer is cached while sources change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json tsconfig.json ./
COPY packages ./packages
COPY examples ./examples
COPY tests/package.json tests/tsconfig.json ./tests/
COPY config ./config
RUN pnpm install --frozen-lockfile
RUN pnpm --filter @beacon/bpf-probe build:native && pnpm build

# The control plane: no native code is loaded, no root, no capabilities.
FROM node:20-bookworm-slim AS control-plane
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/config/config.yaml /etc/beacon/config.yaml
RUN useradd --system --uid 10001 --home-dir /var/lib/beacon beacon \
 && mkdir -p /var/lib/beacon && chown beacon:beacon /var/lib/beacon
USER beacon
WORKDIR /var/lib/beacon
EXPOSE 9090
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9090/api/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/packages/cli/dist/bin.js"]
CMD ["server", "-c", "/etc/beacon/config.yaml"]

# The data plane: the eBPF probe needs root, the host's network and its BTF:
#   docker run --rm --privileged --network=host -v /sys/kernel/btf:/sys/kernel/btf:ro \
#     beacon-dataplane collect -i eth0 --nats nats://nats-host:4222
FROM node:20-bookworm-slim AS data-plane
RUN apt-get update && apt-get install -y --no-install-recommends libbpf1 libelf1 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/config/config.yaml /etc/beacon/config.yaml
ENTRYPOINT ["node", "/app/packages/cli/dist/bin.js"]
CMD ["collect", "-c", "/etc/beacon/config.yaml"]

# Default target: the control plane.
FROM control-plane
