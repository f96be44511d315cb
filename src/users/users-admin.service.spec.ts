import { likeContains } from '../common/sql-like.js';

describe('likeContains', () => {
  test('lower-cases and escapes LIKE wildcards and the escape character itself', () => {
    expect(likeContains('Bob')).toBe('%bob%');
    expect(likeContains('50%_off!')).toBe('%50!%!_off!!%');
  });
});
