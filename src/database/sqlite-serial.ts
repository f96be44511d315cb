import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

interface Owner {
  done: boolean;
  /** set by enterWith during the current synchronous run only (sibling calls, not nesting) */
  born?: boolean;
}

/**
 * SQLite through TypeORM has ONE connection and ONE shared QueryRunner. Without help, two
 * concurrent `ds.transaction(...)` calls collide ("cannot start a transaction within a
 * transaction"), and plain queries from other requests run inside whatever transaction is open
 * (a rollback silently undoes them; reads see uncommitted rows).
 *
 * This gate makes SQLite behave like a serialised database:
 *  - a transaction (however it is started: `ds.transaction`, `manager.transaction`,
 *    `queryRunner.startTransaction`, `repo.save`'s implicit one, migrations) owns the connection
 *    until its outermost commit/rollback;
 *  - the owner is the async call chain that started it (AsyncLocalStorage); its queries and
 *    nested transactions (savepoints) run; every other query and transaction waits its turn.
 * Code inside a transaction must not wait for work started outside it that itself needs the
 * database (that would wait forever) — the same rule as holding a row lock.
 */
export function serialiseSqlite(ds: DataSource): void {
  const runner = ds.createQueryRunner() as QueryRunner & { __phlixGate?: boolean };
  if (runner.__phlixGate) return;
  runner.__phlixGate = true;
  const als = new AsyncLocalStorage<Owner>();
  const log = new Logger('SqliteGate');
  let owner: Owner | null = null;
  let since = 0;
  let waiters: (() => void)[] = [];

  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const wait = () => new Promise<void>((r) => waiters.push(r));
  const free = (ctx: Owner | undefined) => owner === null || owner === ctx;

  const origQuery = runner.query.bind(runner) as (...a: unknown[]) => Promise<unknown>;
  const origStart = runner.startTransaction.bind(runner);
  const origCommit = runner.commitTransaction.bind(runner);
  const origRollback = runner.rollbackTransaction.bind(runner);

  const leave = () => {
    if (!runner.isTransactionActive && owner !== null) {
      const held = Date.now() - since;
      if (held > 10_000) log.warn(`a SQLite transaction held the database for ${held} ms`);
      owner.done = true;
      owner = null;
      wake();
    }
  };

  (runner as { query: unknown }).query = async (...args: unknown[]) => {
    const ctx = als.getStore();
    while (!free(ctx)) await wait();
    return origQuery(...args);
  };

  runner.startTransaction = async (isolation?: Parameters<QueryRunner['startTransaction']>[0]) => {
    let token = als.getStore();
    // Nested (savepoint) only when the owner's own chain calls again after its BEGIN; a call in
    // the same synchronous run as the owner's start is a sibling (e.g. a Promise.all loop).
    if (owner !== null && owner === token && !token.born) return origStart(isolation);
    if (!token || token.done || token.born) {
      // Started directly on the runner (explicit QueryRunner, repo.save, migrations): mark the
      // caller's async chain as the owner. entityManager.transaction() gets a scoped token below.
      const t: Owner = { done: false, born: true };
      queueMicrotask(() => {
        t.born = false;
      });
      als.enterWith(t);
      token = t;
    }
    while (owner !== null) await wait();
    owner = token;
    since = Date.now();
    try {
      await origStart(isolation);
    } catch (e) {
      // BEGIN itself failed: nothing is open; TypeORM leaves its flag set, so clear both.
      const r = runner as unknown as { transactionDepth: number; isTransactionActive: boolean };
      if (r.transactionDepth === 0) r.isTransactionActive = false;
      leave();
      throw e;
    }
  };

  // ds.transaction / manager.transaction: give each call its own scope, so concurrent calls made
  // from one synchronous loop (Promise.all) are separate owners.
  const scope = (m: EntityManager) => {
    const orig = m.transaction.bind(m) as (...a: unknown[]) => Promise<unknown>;
    (m as { transaction: unknown }).transaction = (...args: unknown[]) => {
      const ctx = als.getStore();
      if (owner !== null && owner === ctx) return orig(...args);
      return als.run({ done: false }, () => orig(...args));
    };
  };
  scope(ds.manager);
  scope(runner.manager);

  runner.commitTransaction = async () => {
    try {
      await origCommit();
    } finally {
      leave();
    }
  };

  runner.rollbackTransaction = async () => {
    try {
      await origRollback();
    } finally {
      leave();
    }
  };
}
