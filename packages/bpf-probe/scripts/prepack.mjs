#!/usr/bin/env node
// Runs before `pnpm pack` / `npm publish`: makes sure the compiled BPF object, its skeleton
// header and the Node-API addon are built, then builds the prebuilt addons into prebuilds/
// where the loader (node-gyp-build) finds them after `npm install`. The BPF object and skeleton travel in
// build/bpf/ so that an install on a platform without a prebuilt addon only has to compile the
// addon's C (no clang or bpftool needed there).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(root, 'native', 'build', 'Release', 'beacon_probe.node');
const outputs = [join(root, 'build', 'bpf', 'probe.bpf.o'), join(root, 'build', 'bpf', 'probe.skel.h'), addon];

function newestSource() {
  let newest = 0;
  for (const dir of ['bpf', 'native']) {
    for (const f of readdirSync(join(root, dir))) {
      if (/\.(c|h|gyp)$/.test(f)) newest = Math.max(newest, statSync(join(root, dir, f)).mtimeMs);
    }
  }
  return newest;
}

if (process.platform !== 'linux') {
  console.error('prepack: the probe is built on Linux only; refusing to pack a package without its native parts');
  process.exit(1);
}
const stale = outputs.some((f) => !existsSync(f) || statSync(f).mtimeMs < newestSource());
if (stale) {
  console.log('prepack: native parts missing or older than their sources, building them');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// The shipped addons: node-gyp-build's naming, prebuilds/<platform>-<arch>/<runtime>.<tags>.node;
// napi = any Node version with Node-API 8, glibc = linked against glibc (musl systems build
// from source). prebuild.mjs links libbpf into them and adds linux-arm64 when it can cross-build.
rmSync(join(root, 'prebuilds'), { recursive: true, force: true });
const p = spawnSync(process.execPath, [join(root, 'scripts', 'prebuild.mjs')], { stdio: 'inherit', cwd: root });
if (p.status !== 0) process.exit(p.status ?? 1);
console.log(`prepack: prebuilds/ (${readdirSync(join(root, 'prebuilds')).join(', ')}) and build/bpf/probe.bpf.o ready`);
