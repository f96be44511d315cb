import { decideForGrantee, Grant } from './access.service.js';
import type { AccessAction } from './permissions.js';

const L1 = 'lib-1';
const L2 = 'lib-2';
type Row = [string, Grant[], string | null, AccessAction, boolean, string[] | null, string | null];

// name, grants, library asked, action → allowed, libraryIds, permission
const TABLE: Row[] = [
  ['no grants', [], L1, 'browse', false, [], null],
  ['view lib1: browse lib1', [{ libraryId: L1, permission: 'view' }], L1, 'browse', true, [L1], 'view'],
  ['view lib1: play lib1', [{ libraryId: L1, permission: 'view' }], L1, 'play', false, [], 'view'],
  ['view lib1: browse lib2', [{ libraryId: L1, permission: 'view' }], L2, 'browse', false, [L1], null],
  ['play lib1: browse lib1 (nested)', [{ libraryId: L1, permission: 'play' }], L1, 'browse', true, [L1], 'play'],
  ['play lib1: play lib1', [{ libraryId: L1, permission: 'play' }], L1, 'play', true, [L1], 'play'],
  ['play lib1: download lib1', [{ libraryId: L1, permission: 'play' }], L1, 'download', false, [], 'play'],
  ['download lib1: download lib1', [{ libraryId: L1, permission: 'download' }], L1, 'download', true, [L1], 'download'],
  ['whole view: browse any lib', [{ libraryId: null, permission: 'view' }], L2, 'browse', true, null, 'view'],
  ['whole view: play lib', [{ libraryId: null, permission: 'view' }], L2, 'play', false, [], 'view'],
  ['whole play: play server', [{ libraryId: null, permission: 'play' }], null, 'play', true, null, 'play'],
  [
    'whole view + download lib1: download lib1',
    [
      { libraryId: null, permission: 'view' },
      { libraryId: L1, permission: 'download' },
    ],
    L1,
    'download',
    true,
    [L1],
    'download',
  ],
  [
    'whole view + download lib1: download lib2',
    [
      { libraryId: null, permission: 'view' },
      { libraryId: L1, permission: 'download' },
    ],
    L2,
    'download',
    false,
    [L1],
    'view',
  ],
  [
    'whole view + download lib1: browse server',
    [
      { libraryId: null, permission: 'view' },
      { libraryId: L1, permission: 'download' },
    ],
    null,
    'browse',
    true,
    null,
    'download',
  ],
  [
    'lib grants only: browse server',
    [
      { libraryId: L2, permission: 'view' },
      { libraryId: L1, permission: 'play' },
    ],
    null,
    'browse',
    true,
    [L1, L2],
    'play',
  ],
  [
    'lib grants only: play server',
    [
      { libraryId: L2, permission: 'view' },
      { libraryId: L1, permission: 'play' },
    ],
    null,
    'play',
    true,
    [L1],
    'play',
  ],
  [
    'lib grants only: download server',
    [
      { libraryId: L2, permission: 'view' },
      { libraryId: L1, permission: 'play' },
    ],
    null,
    'download',
    false,
    [],
    'play',
  ],
];

test.each(TABLE)('%s', (_n, grants, lib, action, allowed, libraryIds, permission) => {
  const d = decideForGrantee(grants, lib, action);
  expect(d).toEqual({ allowed, role: grants.length ? 'grantee' : null, libraryIds, permission });
});
