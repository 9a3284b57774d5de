#!/usr/bin/env bash
# Release hygiene, in a throwaway copy so the tree is not modified: `changeset version` must
# consume the pending changesets and leave every package with a CHANGELOG.md, and
# `pnpm publish -r --dry-run` must pack every public package (running bpf-probe's prepack).
# Needs the tree built (dist/, and the native probe for bpf-probe's prepack).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Everything but installed modules and VCS data; the copy installs from pnpm's store, offline.
tar -C "$src" --exclude=node_modules --exclude=.git --exclude=docs/api -cf - . | tar -C "$tmp" -xf -
cd "$tmp"
git init -q && git add -A && git -c user.email=ci@example.invalid -c user.name=ci commit -qm snapshot
pnpm install --frozen-lockfile --offline --ignore-scripts >/dev/null
pnpm --filter @beacon/bpf-probe run build:native >/dev/null 2>&1 || true # (only if the copy lost it)
pnpm changeset version
missing=0
for pkg in packages/*/; do
  if [ ! -s "$pkg/CHANGELOG.md" ]; then echo "no CHANGELOG.md in $pkg after changeset version" >&2; missing=1; fi
  node -e '
    const p = require(require("node:path").resolve(process.argv[1], "package.json"));
    const need = ["repository", "license", "engines", "files", "exports"].filter((k) => !p[k]);
    if (!p.exports?.["."]?.types) need.push("exports[.].types");
    if (need.length) { console.error(`${p.name}: missing ${need.join(", ")}`); process.exit(1); }
  ' "$pkg" || missing=1
  grep -q '```' "$pkg/README.md" || { echo "$pkg/README.md has no example" >&2; missing=1; }
done
[ "$missing" = 0 ] || exit 1
git add -A && git -c user.email=ci@example.invalid -c user.name=ci commit -qm version
pnpm publish -r --dry-run --no-git-checks --access public
echo "release dry run: changeset version and pnpm publish -r --dry-run passed"
