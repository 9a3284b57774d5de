#!/usr/bin/env node
// Builds the native parts: the BPF object (clang -target bpf), its libbpf skeleton (bpftool)
// and the Node-API addon (node-gyp). Exits with a clear message when a tool is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'bpf');
const APT = 'apt-get install -y clang llvm libbpf-dev libelf-dev bpftool make g++ python3';

function die(message) {
  console.error(`build:native: ${message}`);
  console.error(`build:native: on Debian/Ubuntu: ${APT}`);
  process.exit(1);
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

if (process.platform !== 'linux') die('the eBPF probe only builds on Linux');
for (const tool of ['clang', 'bpftool', 'make']) if (!have(tool)) die(`'${tool}' was not found on PATH`);
for (const header of ['/usr/include/bpf/libbpf.h', '/usr/include/gelf.h']) {
  if (!existsSync(header)) die(`${header} is missing (libbpf-dev / libelf-dev)`);
}

let multiarch = '';
try {
  multiarch = execFileSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).trim();
} catch {
  multiarch = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`;
}

function run(cmd, args, opts = {}) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) die(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) die(`${cmd} exited with status ${r.status}`);
  return r;
}

mkdirSync(out, { recursive: true });
const obj = join(out, 'probe.bpf.o');
run('clang', ['-O2', '-g', '-target', 'bpf', '-mcpu=v3', '-Wall', `-I/usr/include/${multiarch}`, '-Ibpf',
  '-c', 'bpf/probe.bpf.c', '-o', obj]);
console.log(`> bpftool gen skeleton ${obj} name probe_bpf`);
const skel = spawnSync('bpftool', ['gen', 'skeleton', obj, 'name', 'probe_bpf'], { encoding: 'utf8', maxBuffer: 64 << 20 });
if (skel.status !== 0) die(`bpftool gen skeleton failed: ${skel.stderr}`);
writeFileSync(join(out, 'probe.skel.h'), skel.stdout);

// binding.gyp lives in native/ (not the package root, where package managers would run an
// implicit `node-gyp rebuild` on install); node-gyp writes native/build/.
const gyp = join(root, 'node_modules', '.bin', 'node-gyp');
if (!existsSync(gyp)) die('node-gyp is not installed: run `pnpm install` first');
// Use the running Node's own headers when it ships them, so no download is needed.
const prefix = join(dirname(process.execPath), '..');
const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
run(gyp, ['rebuild', `--directory=${join(root, 'native')}`, ...nodedir]);
console.log('build:native: built native/build/Release/beacon_probe.node and build/bpf/probe.bpf.o');
