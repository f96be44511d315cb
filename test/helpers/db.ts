import mysql from 'mysql2/promise';

/** Which database the integration suites run on: TEST_DB=sqlite (default) or TEST_DB=mysql. */
export function testDbKind(): 'sqlite' | 'mysql' {
  return process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';
}

async function admin() {
  const u = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  return mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  });
}

/** Create an empty database for one test hub; returns its DB_URL. */
export async function createTestDatabase(name: string): Promise<string> {
  const c = await admin();
  try {
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await c.end();
  }
  const u = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropTestDatabase(name: string): Promise<void> {
  const c = await admin();
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await c.end();
  }
}
