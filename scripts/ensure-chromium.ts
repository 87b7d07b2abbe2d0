// Makes sure a Chromium for the browser tests (test/ui) exists before `npm test`, so the install
// happens once and up front (test/lib/chromium.ts owns how it is found and installed).
//
//   node --import tsx scripts/ensure-chromium.ts   -> prints the executable path, exit 0
//   exit 1 with the reason when it cannot be had (not root, no apt, install failed)
import { ensureChromium } from '../test/lib/chromium.ts';

try {
  console.log(ensureChromium());
} catch (err) {
  console.error(`ensure-chromium: ${(err as Error).message}`);
  process.exit(1);
}
