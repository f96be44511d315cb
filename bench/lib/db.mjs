// Bulk-insert adapters for the bench seeder: better-sqlite3 (one transaction per table) and mysql2
// (multi-row INSERTs). Columns are intersected with the live table, so a schema change that adds a
// nullable/defaulted column does not break seeding; a missing NOT NULL column fails loudly.
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';

export async function openDb(kind, target) {
  return kind === 'mysql' ? openMysql(target) : openSqlite(target);
}

function openSqlite(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('busy_timeout = 10000');
  const columns = (t) =>
    db
      .prepare(`PRAGMA table_info(${t})`)
      .all()
      .map((c) => ({ name: c.name, required: !!c.notnull && c.dflt_value === null && !c.pk }));
  return {
    kind: 'sqlite',
    columns: async (t) => columns(t),
    async insert(table, cols, rows) {
      const stmt = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      db.transaction((rs) => {
        for (const r of rs) stmt.run(...r);
      })(rows);
    },
    async exec(sql) {
      db.exec(sql);
    },
    async scalar(sql) {
      return Object.values(db.prepare(sql).get())[0];
    },
    async close() {
      db.pragma('synchronous = NORMAL');
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

async function openMysql(url) {
  const c = await mysql.createConnection({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    supportBigNumbers: true,
    multipleStatements: false,
  });
  return {
    kind: 'mysql',
    async columns(t) {
      const [rows] = await c.query(
        'SELECT COLUMN_NAME AS name, IS_NULLABLE AS n, COLUMN_DEFAULT AS d, COLUMN_KEY AS k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
        [t],
      );
      return rows.map((r) => ({ name: r.name, required: r.n === 'NO' && r.d === null && r.k !== 'PRI' }));
    },
    async insert(table, cols, rows) {
      for (let i = 0; i < rows.length; i += 2000) {
        await c.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ?`, [rows.slice(i, i + 2000)]);
      }
    },
    async exec(sql) {
      await c.query(sql);
    },
    async scalar(sql) {
      const [r] = await c.query(sql);
      return Object.values(r[0])[0];
    },
    async close() {
      await c.end();
    },
  };
}

/** Insert row objects into `table`, keeping only columns the table has. */
export async function bulkInsert(db, table, rows) {
  if (!rows.length) return;
  const have = await db.columns(table);
  if (!have.length) throw new Error(`table ${table} does not exist`);
  const names = new Set(have.map((c) => c.name));
  const cols = Object.keys(rows[0]).filter((k) => names.has(k));
  const missing = have.filter((c) => c.required && !cols.includes(c.name)).map((c) => c.name);
  if (missing.length) throw new Error(`seeder does not fill required ${table} columns: ${missing.join(', ')}`);
  await db.insert(
    table,
    cols,
    rows.map((r) => cols.map((k) => r[k])),
  );
}
