/**
 * The Chromium of the browser tests and the UI benchmark. playwright-core never downloads
 * browsers and Debian's archive is the only browser source CI can reach, so this is Debian's
 * `chromium` package, installed by {@link ensureDebianPackage} when missing. CHROMIUM_PATH
 * overrides it (a Chrome already on the machine, say).
 */
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './debian.ts';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium executable, installing Debian's package first when root and it is missing. */
export function ensureChromium(): string {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override} does not exist`);
    return override;
  }
  const find = () => CANDIDATES.find((p) => existsSync(p));
  if (process.platform !== 'linux') {
    const found = find();
    if (found === undefined) throw new Error(`no Chromium at ${CANDIDATES.join(', ')}; set CHROMIUM_PATH`);
    return found;
  }
  try {
    return ensureDebianPackage('chromium', find);
  } catch (err) {
    throw new Error(`${(err as Error).message} (or set CHROMIUM_PATH)`);
  }
}
