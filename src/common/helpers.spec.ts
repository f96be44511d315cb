import { createHash } from 'node:crypto';
import { bearerToken, parseBearer } from './bearer.js';
import { sha256Hex } from './sha256.js';
import { isUniqueViolation } from '../database/unique-violation.js';

describe('parseBearer / bearerToken', () => {
  test('the token of a Bearer header, any case, surrounding space trimmed', () => {
    expect(parseBearer('Bearer abc.def')).toBe('abc.def');
    expect(parseBearer('bearer   xyz  ')).toBe('xyz');
    expect(bearerToken({ headers: { authorization: 'BEARER t' } })).toBe('t');
  });

  test('nothing for other schemes, empty, two tokens or a non-string header', () => {
    for (const h of [
      undefined,
      '',
      'Basic dXNlcjpwdw==',
      'Bearer',
      'Bearer ',
      'Bearer a b',
      'Bearera',
      ['Bearer a'],
      42,
    ]) {
      expect(parseBearer(h)).toBeUndefined();
    }
    expect(bearerToken({ headers: {} })).toBeUndefined();
  });
});

describe('sha256Hex', () => {
  test('lowercase hex of the UTF-8 string', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('héllo')).toBe(createHash('sha256').update(Buffer.from('héllo', 'utf8')).digest('hex'));
  });
});

describe('isUniqueViolation', () => {
  test('MySQL/MariaDB and SQLite duplicate keys, with the code on the error or under driverError', () => {
    expect(isUniqueViolation({ code: 'ER_DUP_ENTRY', message: "Duplicate entry 'a' for key 'uq'" })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })).toBe(true);
    expect(isUniqueViolation({ driverError: { code: 'ER_DUP_ENTRY' } })).toBe(true);
    expect(isUniqueViolation({ message: 'SQLITE_CONSTRAINT: UNIQUE constraint failed: users.username_lower' })).toBe(
      true,
    );
    expect(
      isUniqueViolation(
        Object.assign(new Error('QueryFailedError'), { driverError: { message: 'UNIQUE constraint failed: x.id' } }),
      ),
    ).toBe(true);
  });

  test('other failures are not', () => {
    for (const e of [
      null,
      undefined,
      'ER_DUP_ENTRY',
      new Error('timeout'),
      { code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: t.c' },
      { code: 'ER_NO_REFERENCED_ROW_2' },
    ]) {
      expect(isUniqueViolation(e)).toBe(false);
    }
  });
});
