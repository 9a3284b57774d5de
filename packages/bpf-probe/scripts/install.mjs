#!/usr/bin/env node
// Runs at `npm install`. The package normally ships a prebuilt addon for linux-x64 (picked by
// node-gyp-build) and the compiled BPF object, so there is nothing to do. Elsewhere (another
// architecture, musl) it compiles the addon from the shipped C sources and skeleton header.
// It never fails the install: without the addon everything but the live probe still works, and
// `beacon doctor` says what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => console.warn(`@beacon/bpf-probe: ${msg}`);

function done(msg) {
  if (msg) say(msg);
  process.exit(0);
}

if (process.platform !== 'linux') done(`the live eBPF probe runs on Linux only (this is ${process.platform}); the rest of Beacon works without it`);
if (existsSync(join(root, 'native', 'build', 'Release', 'beacon_probe.node'))) done();
try {
  createRequire(import.meta.url)('node-gyp-build').path(root);
  done(); // a prebuilt addon fits this platform
} catch {
  // no prebuild for this platform: build one below
}
if (!existsSync(join(root, 'build', 'bpf', 'probe.skel.h'))) {
  done('source checkout without native parts: run `pnpm --filter @beacon/bpf-probe build:native` (see the package README)');
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
const missing = [];
if (!existsSync('/usr/include/bpf/libbpf.h')) missing.push('libbpf-dev');
if (!existsSync('/usr/include/gelf.h') && !existsSync('/usr/include/libelf/gelf.h')) missing.push('libelf-dev');
if (!existsSync('/usr/include/zlib.h')) missing.push('zlib1g-dev');
if (!have('make')) missing.push('make');
if (!have('cc') || !have('g++')) missing.push('g++');
if (!have('python3')) missing.push('python3');
const gyp = process.env.npm_config_node_gyp;
const gypCmd = gyp && existsSync(gyp) ? [process.execPath, gyp] : have('node-gyp') ? ['node-gyp'] : undefined;
if (gypCmd === undefined) missing.push('node-gyp (npm install -g node-gyp)');
if (missing.length > 0) {
  done(
    `no prebuilt addon for linux-${process.arch} and it cannot be built here: missing ${missing.join(', ')}. ` +
      `Install them (Debian/Ubuntu: apt-get install -y ${missing.filter((m) => !m.startsWith('node-gyp')).join(' ')}), then run \`npm rebuild @beacon/bpf-probe\`. ` +
      'Until then everything except the live probe works; `beacon doctor` checks the probe.',
  );
}
const prefix = join(dirname(process.execPath), '..');
const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
say(`no prebuilt addon for linux-${process.arch}: building it from source`);
const [cmd, ...pre] = gypCmd;
const r = spawnSync(cmd, [...pre, 'rebuild', `--directory=${join(root, 'native')}`, ...nodedir], { stdio: 'inherit', cwd: root });
if (r.status !== 0) done(`building the addon failed (node-gyp exited with ${r.status}); the live probe will not work until \`npm rebuild @beacon/bpf-probe\` succeeds`);
done('built native/build/Release/beacon_probe.node');
