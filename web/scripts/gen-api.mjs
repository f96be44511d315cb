// Writes src/api/schema.d.ts (the API's TypeScript types) from the hub's OpenAPI document.
//   node scripts/gen-api.mjs                 boot the built hub (../dist) without listening and read its document
//   node scripts/gen-api.mjs --url URL       read it from a running hub (URL/api/docs-json)
//   node scripts/gen-api.mjs --input F.json  read it from a file
//   ... --check                              write nothing; exit 1 if the committed file is not current
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { WEB } from './npm.mjs';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const OUT = join(WEB, 'src', 'api', 'schema.d.ts');

async function fromBuiltHub() {
  const dist = join(WEB, '..', 'dist');
  const dir = mkdtempSync(join(tmpdir(), 'phlix-openapi-'));
  delete process.env.npm_package_version; // the document's version must not depend on which package ran this
  try {
    await import('reflect-metadata');
    const { loadConfig } = await import(pathToFileURL(join(dist, 'config', 'config.js')).href);
    const { configureApp, fastifyAdapter } = await import(pathToFileURL(join(dist, 'bootstrap.js')).href);
    const { AppModule } = await import(pathToFileURL(join(dist, 'app.module.js')).href);
    const { NestFactory } = await import('@nestjs/core');
    const cfg = loadConfig({ HUB_DATA_DIR: dir, HUB_LOG_LEVEL: 'silent', HUB_RELAY_PORT_ENABLED: 'false' });
    const app = await NestFactory.create(AppModule.register(), fastifyAdapter(cfg), { logger: false });
    await configureApp(app, cfg, { swaggerUi: false });
    await app.init();
    const r = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/docs-json' });
    await app.close();
    if (r.statusCode !== 200) throw new Error(`/api/docs-json answered ${r.statusCode}`);
    return JSON.parse(r.body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function document() {
  if (opt('--input')) return JSON.parse(readFileSync(opt('--input'), 'utf8'));
  if (opt('--url')) {
    const r = await fetch(new URL('/api/docs-json', opt('--url')));
    if (!r.ok) throw new Error(`${r.url} answered ${r.status}`);
    return r.json();
  }
  return fromBuiltHub();
}

/** The generated text for a document: the same document always gives the same bytes. */
export async function render(doc) {
  const ast = await openapiTS({ ...doc, info: { ...doc.info, version: '0' } }, { alphabetize: true });
  return `// Generated from the hub's OpenAPI document by web/scripts/gen-api.mjs (npm run gen:api). Do not edit.\n\n${astToString(ast)}`;
}

const text = await render(await document());
if (args.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (current !== text) {
    process.stderr.write('web/src/api/schema.d.ts is not current: run `npm run gen:api` and commit it\n');
    process.exit(1);
  }
  process.stdout.write('web/src/api/schema.d.ts is current\n');
} else {
  writeFileSync(OUT, text);
  process.stdout.write(`wrote ${OUT}\n`);
}
process.exit(0);
