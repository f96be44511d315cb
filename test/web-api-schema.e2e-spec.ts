import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestHub, TestHub } from './helpers/hub.js';

/**
 * web/src/api/schema.d.ts (the web app's API types) is generated from the hub's OpenAPI document and
 * committed. This regenerates it from the document of the hub under test and compares: a route or DTO
 * changed without `npm run gen:api` fails here.
 */
describe('web app API types', () => {
  let hub: TestHub;
  let dir: string;
  beforeAll(async () => {
    hub = await createTestHub();
    dir = mkdtempSync(join(tmpdir(), 'phlix-openapi-'));
  });
  afterAll(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('web/src/api/schema.d.ts matches the current OpenAPI document', async () => {
    const r = await hub.http().get('/api/docs-json');
    expect(r.status).toBe(200);
    expect(r.body.paths['/api/v1/auth/login']).toBeDefined();
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(r.body));
    const gen = spawnSync(process.execPath, ['web/scripts/gen-api.mjs', '--input', file, '--check'], {
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(`${gen.stdout}${gen.stderr}`).toContain('web/src/api/schema.d.ts is current');
    expect(gen.status).toBe(0);
  });

  it('the check fails when the document changes', async () => {
    const r = await hub.http().get('/api/docs-json');
    const doc = r.body;
    doc.paths['/api/v1/me/new-thing'] = { get: { operationId: 'NewThing', responses: { 200: { description: 'ok' } } } };
    const file = join(dir, 'changed.json');
    writeFileSync(file, JSON.stringify(doc));
    const gen = spawnSync(process.execPath, ['web/scripts/gen-api.mjs', '--input', file, '--check'], {
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(gen.status).toBe(1);
    expect(gen.stderr).toContain('npm run gen:api');
  });
});
