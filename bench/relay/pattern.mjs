// The origin's content: byte at offset o is PATTERN[o % PATTERN_SIZE] (1 MiB of fixed pseudo-random bytes),
// so any range can be generated and checked without storing a file.
export const PATTERN_SIZE = 1024 * 1024;
export const PATTERN = Buffer.alloc(PATTERN_SIZE);
let x = 0x9e3779b9;
for (let i = 0; i < PATTERN_SIZE; i++) {
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  PATTERN[i] = x & 0xff;
}
const DOUBLE = Buffer.concat([PATTERN, PATTERN]);

/** The expected bytes of [start, start + length) when length ≤ PATTERN_SIZE. */
export function expected(start, length) {
  const off = start % PATTERN_SIZE;
  return DOUBLE.subarray(off, off + length);
}
