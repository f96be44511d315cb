import { validateSync } from 'class-validator';
import { Optional, StrLen } from './validators.js';

class Dto {
  @StrLen(2, 5) name: unknown;
  @Optional() @StrLen(1, 3) nick?: unknown;
}
const errors = (o: Partial<Dto>) => validateSync(Object.assign(new Dto(), o)).map((e) => e.property);

describe('StrLen', () => {
  test('counts UTF-16 code units, so emoji selectors cannot slip past a column width', () => {
    expect(errors({ name: 'abc' })).toEqual([]);
    expect(errors({ name: 'a' })).toEqual(['name']);
    expect(errors({ name: 'abcdef' })).toEqual(['name']);
    expect(errors({ name: 'a\uFE0Fb\uFE0Fc\uFE0F' })).toEqual(['name']); // 6 units; class-validator's Length counts 3
    expect(errors({ name: 42 })).toEqual(['name']);
  });
});

describe('Optional', () => {
  test('absent is fine; explicit null is validated (and refused)', () => {
    expect(errors({ name: 'abc' })).toEqual([]);
    expect(errors({ name: 'abc', nick: null })).toEqual(['nick']);
    expect(errors({ name: 'abc', nick: 'abcd' })).toEqual(['nick']);
  });
});
