// The root `npm install` / `npm ci` runs this (postinstall): install the web app's own packages from
// web/package-lock.json, dev packages included (Vite builds the app), whatever the root was asked to omit.
import { npm } from './npm.mjs';

npm(['ci', '--include=dev', '--no-audit', '--no-fund', '--loglevel=error']);
