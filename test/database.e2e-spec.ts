import { createTestHub, TestHub } from './helpers/hub.js';
import { DbDialect } from '../src/database/dialect.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.close();
});

/**
 * Concurrent read-modify-write transactions must not interleave. On SQLite TypeORM shares one
 * connection, so without the database layer's serialisation two transactions nest as savepoints
 * and both read the same value.
 */
test('concurrent transactions are isolated (counter read-modify-write)', async () => {
  const dialect = hub.get(DbDialect);
  await hub.ds.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', ['test:counter', '0', 0]);
  const bump = () =>
    hub.ds.transaction(async (m) => {
      const rows: { v: string }[] = await m.query(`SELECT v FROM hub_meta WHERE k = ? ${dialect.forUpdate}`, [
        'test:counter',
      ]);
      await new Promise((r) => setTimeout(r, 5));
      await m.query('UPDATE hub_meta SET v = ? WHERE k = ?', [String(Number(rows[0].v) + 1), 'test:counter']);
    });
  await Promise.all(Array.from({ length: 10 }, bump));
  const rows: { v: string }[] = await hub.ds.query('SELECT v FROM hub_meta WHERE k = ?', ['test:counter']);
  expect(rows[0].v).toBe('10');
});

test('a rolled-back transaction does not swallow a concurrent plain write', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const tx = hub.ds
    .transaction(async (m) => {
      await m.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', ['test:tx', 'x', 0]);
      await gate;
      throw new Error('roll back');
    })
    .catch((e: Error) => e.message);
  await new Promise((r) => setTimeout(r, 5));
  const plain = hub.ds.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', ['test:plain', 'y', 0]);
  setTimeout(release, 10);
  await plain;
  expect(await tx).toBe('roll back');
  const rows: { k: string }[] = await hub.ds.query("SELECT k FROM hub_meta WHERE k IN ('test:tx', 'test:plain')");
  expect(rows.map((r) => r.k)).toEqual(['test:plain']);
});

test('explicit QueryRunner transactions started in one loop are serialised too', async () => {
  const dialect = hub.get(DbDialect);
  await hub.ds.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', ['test:qr', '0', 0]);
  const bump = async () => {
    const qr = hub.ds.createQueryRunner();
    await qr.startTransaction();
    try {
      const rows: { v: string }[] = await qr.query(`SELECT v FROM hub_meta WHERE k = ? ${dialect.forUpdate}`, [
        'test:qr',
      ]);
      await new Promise((r) => setTimeout(r, 2));
      await qr.query('UPDATE hub_meta SET v = ? WHERE k = ?', [String(Number(rows[0].v) + 1), 'test:qr']);
      await qr.commitTransaction();
    } catch (e) {
      await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
  };
  await Promise.all(Array.from({ length: 8 }, bump));
  const rows: { v: string }[] = await hub.ds.query('SELECT v FROM hub_meta WHERE k = ?', ['test:qr']);
  expect(rows[0].v).toBe('8');
});

test('a nested transaction is a savepoint of its parent', async () => {
  await hub.ds.transaction(async (m) => {
    await m.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', ['test:outer', '1', 0]);
    await m.transaction(async (m2) => {
      await m2.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', ['test:inner', '1', 0]);
    });
    await expect(
      m.transaction(async (m2) => {
        await m2.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', ['test:inner2', '1', 0]);
        throw new Error('inner fails');
      }),
    ).rejects.toThrow('inner fails');
  });
  const rows: { k: string }[] = await hub.ds.query(
    "SELECT k FROM hub_meta WHERE k LIKE 'test:in%' OR k = 'test:outer' ORDER BY k",
  );
  expect(rows.map((r) => r.k)).toEqual(['test:inner', 'test:outer']);
});
