#!/usr/bin/env node
// Builds the prebuilt addons that ship in the package: prebuilds/linux-<arch>/node.napi.glibc.node
// for linux-x64 and, where an aarch64 cross compiler and the arm64 libelf/zlib are installed,
// linux-arm64. libbpf is linked statically, so a user's machine needs no libbpf1: only libelf
// and zlib (present on any distribution that runs eBPF tools) and glibc. Debian's libbpf.a is
// compiled without -fPIC and cannot go into a shared object, so libbpf is compiled here from
// its source with -fPIC: from $BEACON_LIBBPF_SRC (an unpacked libbpf source tree) or else from
// Debian's source package (`apt-get source libbpf`, which needs a deb-src entry).
//   node scripts/prebuild.mjs            (prepack runs it after build:native)
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'build', 'prebuild');

function die(message) {
  console.error(`prebuild: ${message}`);
  process.exit(1);
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args, opts = {}) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) die(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) die(`${cmd} exited with status ${r.status}`);
}

/** The newest modification time of the addon's sources (native/, bpf/*.h, the skeleton). */
function newestSource() {
  let newest = 0;
  for (const [dir, filter] of [['native', /\.(c|h|gyp)$/], ['bpf', /\.h$/], [join('build', 'bpf'), /\.skel\.h$/]]) {
    for (const f of readdirSync(join(root, dir))) if (filter.test(f)) newest = Math.max(newest, statSync(join(root, dir, f)).mtimeMs);
  }
  return newest;
}

/** An unpacked libbpf source tree (with src/Makefile). */
function libbpfSource() {
  const given = process.env.BEACON_LIBBPF_SRC;
  if (given) {
    if (!existsSync(join(given, 'src', 'Makefile'))) die(`BEACON_LIBBPF_SRC=${given} is not a libbpf source tree (no src/Makefile)`);
    return given;
  }
  const dir = join(work, 'libbpf-src');
  const unpacked = () => (existsSync(dir) ? readdirSync(dir).find((d) => existsSync(join(dir, d, 'src', 'Makefile'))) : undefined);
  if (unpacked() === undefined) {
    mkdirSync(dir, { recursive: true });
    if (!have('apt-get')) die('no libbpf source: set BEACON_LIBBPF_SRC to an unpacked libbpf source tree');
    const r = spawnSync('apt-get', ['source', '--download-only', 'libbpf'], { cwd: dir, stdio: 'inherit' });
    const orig = readdirSync(dir).find((f) => /^libbpf_.*\.orig\.tar\.gz$/.test(f));
    if (r.status !== 0 || orig === undefined) {
      die('`apt-get source libbpf` failed: add a deb-src entry (Types: deb-src in /etc/apt/sources.list.d/) and run apt-get update, or set BEACON_LIBBPF_SRC');
    }
    run('tar', ['xzf', orig], { cwd: dir });
  }
  const name = unpacked();
  if (name === undefined) die(`no libbpf source tree under ${dir}`);
  return join(dir, name);
}

/** libbpf.a compiled with -fPIC for one target, built once. */
function picLibbpf(src, arch, cc, ar) {
  const out = join(work, `libbpf-${arch}`);
  const lib = join(out, 'libbpf.a');
  if (existsSync(lib)) return lib;
  mkdirSync(out, { recursive: true });
  run('make', ['-s', '-C', join(src, 'src'), 'BUILD_STATIC_ONLY=y', `OBJDIR=${out}`, `CC=${cc}`, `AR=${ar}`, 'CFLAGS=-g -O2 -fPIC', lib]);
  return lib;
}

/**
 * Builds the addon for one architecture in a copy of the package's native sources (so the
 * checkout's own native/build keeps the host's addon) and copies it to prebuilds/.
 */
function buildAddon(arch, cross) {
  const src = libbpfSource();
  const cc = cross ? `${cross}-gcc` : 'cc';
  const lib = picLibbpf(src, arch, cc, cross ? `${cross}-ar` : 'ar');
  const stage = join(work, `stage-${arch}`);
  const built = join(stage, 'native', 'build', 'Release', 'beacon_probe.node');
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource()) {
    rmSync(stage, { recursive: true, force: true });
    for (const [from, filter] of [['native', /\.(c|h|gyp)$/], ['bpf', /\.h$/], [join('build', 'bpf'), /\.skel\.h$/]]) {
      mkdirSync(join(stage, from), { recursive: true });
      for (const f of readdirSync(join(root, from))) if (filter.test(f)) cpSync(join(root, from, f), join(stage, from, f));
    }
    const gyp = join(root, 'node_modules', '.bin', 'node-gyp');
    if (!existsSync(gyp)) die('node-gyp is not installed: run `pnpm install` first');
    const prefix = join(dirname(process.execPath), '..');
    const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
    const env = {
      ...process.env,
      // binding.gyp links what this says instead of -lbpf: libbpf's objects stay hidden inside the addon.
      BEACON_PROBE_LIBS: `-Wl,--exclude-libs,ALL ${lib} -lelf -lz -lpthread`,
      ...(cross ? { CC: cc, CXX: `${cross}-g++`, LINK: cc } : {}),
    };
    run(gyp, ['rebuild', `--arch=${arch}`, `--directory=${join(stage, 'native')}`, ...nodedir], { env });
  }
  const target = join(root, 'prebuilds', `linux-${arch}`);
  mkdirSync(target, { recursive: true });
  const file = join(target, 'node.napi.glibc.node');
  copyFileSync(built, file);
  run(cross ? `${cross}-strip` : 'strip', ['--strip-debug', file]);
  const needed = spawnSync(cross ? `${cross}-readelf` : 'readelf', ['-d', file], { encoding: 'utf8' }).stdout;
  if (/NEEDED.*libbpf\.so/.test(needed)) die(`${file} still needs libbpf.so`);
  console.log(`prebuild: prebuilds/linux-${arch}/node.napi.glibc.node (libbpf linked in)`);
}

if (process.platform !== 'linux') die('prebuilt addons are built on Linux only');
if (!existsSync(join(root, 'build', 'bpf', 'probe.skel.h'))) die('build/bpf/probe.skel.h is missing: run build:native first');
const host = process.arch;
const ARM = 'aarch64-linux-gnu';
if (host === 'x64') {
  if (have(`${ARM}-gcc`) && existsSync(`/usr/lib/${ARM}/libelf.so`) && existsSync(`/usr/lib/${ARM}/libz.so`)) buildAddon('arm64', ARM);
  else {
    console.warn(`prebuild: no linux-arm64 addon: needs ${ARM}-gcc and the arm64 libelf/zlib`);
    console.warn('prebuild:   (dpkg --add-architecture arm64; apt-get install gcc-aarch64-linux-gnu libelf-dev:arm64 zlib1g-dev:arm64)');
  }
}
buildAddon(host, undefined);
