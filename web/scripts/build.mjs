// The root `npm run build` runs this: install web/ if that never happened, then type-check and build to web/dist.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { npm, WEB } from './npm.mjs';

if (!existsSync(join(WEB, 'node_modules', 'vite', 'package.json'))) {
  npm(['ci', '--include=dev', '--no-audit', '--no-fund', '--loglevel=error']);
}
npm(['run', 'build', '--silent']);
