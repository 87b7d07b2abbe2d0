// Makes sure a Chromium for the browser tests (test/ui) exists. playwright-core never downloads
// browsers by itself, and the only browser source we can reach is Debian's archive, so this
// installs Debian's `chromium` package with apt when it is missing and we are root.
//
//   node scripts/ensure-chromium.mjs          -> prints the executable path, exit 0
//   exit 1 with the reason when it cannot be had (not root, no apt, install failed)
//
// CHROMIUM_PATH overrides the executable (e.g. a Chrome that is already on the machine).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);

function found() {
  return candidates.find((p) => existsSync(p));
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

function ensure() {
  const have = found();
  if (have) return { path: have };
  if (process.platform !== 'linux') return { error: `no Chromium at ${candidates.join(', ')}; set CHROMIUM_PATH` };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { error: 'Chromium is missing and this is not root: run `sudo apt-get install -y chromium` or set CHROMIUM_PATH' };
  }
  if (!existsSync('/usr/bin/apt-get')) return { error: 'Chromium is missing and apt-get is not available; set CHROMIUM_PATH' };
  console.error('ensure-chromium: installing Debian chromium with apt-get (one time)…');
  // The package lists may be stale or absent on a fresh machine; update first, once.
  if (!run('apt-get', ['update']) || !run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'])) {
    return { error: 'apt-get install chromium failed (see the output above)' };
  }
  const now = found();
  return now ? { path: now } : { error: 'apt-get finished but no chromium executable appeared' };
}

const result = ensure();
if (result.path) {
  console.log(result.path);
} else {
  console.error(`ensure-chromium: ${result.error}`);
  process.exit(1);
}
