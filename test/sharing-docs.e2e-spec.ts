import { readFileSync } from 'node:fs';
import { PERMISSION_TABLE } from '../src/sharing/permission-model.js';
import { includes, PERMISSIONS } from '../src/sharing/permissions.js';

/** docs/sharing.md's permission table is the code's table, row for row. */
test('docs/sharing.md permission table equals PERMISSION_TABLE', () => {
  const md = readFileSync(new URL('../docs/sharing.md', import.meta.url), 'utf8');
  const section = md.slice(md.indexOf('## Permission model'));
  const rows = section
    .split('\n')
    .filter((l) => /^\| `[a-z-]+` \|/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const fromDocs = rows.map(([cls, what, ...marks]) => ({
    cls: cls!.replace(/`/g, ''),
    what: what!.replace(/`/g, ''),
    marks,
  }));
  const fromCode = PERMISSION_TABLE.map((r) => ({
    cls: r.cls,
    what: r.what,
    marks: PERMISSIONS.map((p) => (r.needs !== null && includes(p, r.needs) ? '✓' : '—')),
  }));
  expect(fromDocs).toEqual(fromCode);
});
