import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// No Docker engine runs in CI, so the image is checked by reading its recipe: every file the build
// stage copies exists in the checkout and is not excluded from the build context.
const root = join(import.meta.dirname, '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));

const copies = dockerfile
  .split('\n')
  .filter((l) => /^COPY\s/.test(l) && !l.includes('--from='))
  .flatMap((l) => l.trim().split(/\s+/).slice(1, -1));

describe('Dockerfile', () => {
  test('copies only files that exist and are in the build context', () => {
    expect(copies.length).toBeGreaterThan(3);
    for (const src of copies) {
      expect([src, existsSync(join(root, src))]).toEqual([src, true]);
      expect([src, ignored.includes(src)]).toEqual([src, false]);
    }
  });

  test('the runtime stage carries the built web app where the hub looks for it', () => {
    expect(dockerfile).toMatch(/COPY --from=build \/app\/web\/dist \.\/web\/dist/);
    expect(ignored).toEqual(expect.arrayContaining(['web/node_modules', 'web/dist']));
  });
});
