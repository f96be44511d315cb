/**
 * JSON as PHP's ext/json reads and writes it (docs/protocol/wire.md §3.4).
 *
 * Decoding mirrors `json_decode($s, true, $depth)`: integers and floats stay
 * distinguishable (PHP rejects `200.0` where an int is required), nesting is
 * limited, invalid UTF-8 and unpaired `\u` surrogates are errors, and objects
 * become ordered maps (duplicate key: last value wins, first position kept).
 *
 * Encoding mirrors `json_encode($v)` with no flags when `style` is `php`:
 * `/` becomes `\/` and every non-ASCII UTF-16 unit becomes `\uxxxx`, so the
 * output is pure ASCII and byte-identical to the PHP codec. `utf8` writes
 * plain UTF-8 (PHP reads both). Lone surrogates cannot be encoded (PHP would
 * see malformed UTF-8).
 */

/** A number PHP decodes as float: it has a fraction or exponent, or overflows int64. */
export class PhpFloat {
  constructor(readonly value: number) {}
}

export type PhpJsonObject = Map<string, PhpJson>;
export type PhpJson = null | boolean | number | string | PhpFloat | PhpJson[] | PhpJsonObject;

/** Carries PHP's `json_last_error_msg()` text as its message. */
export class PhpJsonError extends Error {}

export type JsonStyle = 'php' | 'utf8';

/** Default depth of `json_decode()`. */
export const PHP_JSON_DEPTH = 512;

const SYNTAX = 'Syntax error';
const CTRL = 'Control character error, possibly incorrectly encoded';
const UTF8 = 'Malformed UTF-8 characters, possibly incorrectly encoded';
const UTF16 = 'Single unpaired UTF-16 surrogate in unicode escape';
const DEPTH = 'Maximum stack depth exceeded';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/;
const NUMBER_BYTES = new Set([...'0123456789+-.eE'].map((ch) => ch.charCodeAt(0)));
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Parses `bytes` like `json_decode($bytes, true, $maxDepth)`; throws PhpJsonError. */
export function phpJsonDecode(bytes: Uint8Array, maxDepth = PHP_JSON_DEPTH): PhpJson {
  return new Parser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), maxDepth).parse();
}

class Parser {
  private pos = 0;

  constructor(
    private readonly src: Buffer,
    private readonly maxDepth: number,
  ) {}

  parse(): PhpJson {
    this.skipWhitespace();
    const value = this.value(0);
    this.skipWhitespace();
    if (this.pos < this.src.length) this.unexpected();
    return value;
  }

  private skipWhitespace(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  private unexpected(): never {
    throw new PhpJsonError(this.src[this.pos] === 0 ? CTRL : SYNTAX);
  }

  private value(depth: number): PhpJson {
    const c = this.src[this.pos];
    if (c === 0x7b || c === 0x5b) {
      if (depth >= this.maxDepth) throw new PhpJsonError(DEPTH);
      return c === 0x7b ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === 0x22) return this.string();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return this.number();
    this.unexpected();
  }

  private literal<T>(word: string, result: T): T {
    if (this.src.toString('latin1', this.pos, this.pos + word.length) !== word) this.unexpected();
    this.pos += word.length;
    return result;
  }

  private number(): number | PhpFloat {
    const s = this.src;
    let end = this.pos;
    while (end < s.length && NUMBER_BYTES.has(s[end]!)) end++;
    // Numbers are ASCII; latin1 keeps byte offsets equal to string offsets.
    const m = NUMBER.exec(s.toString('latin1', this.pos, end));
    if (!m) this.unexpected();
    this.pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const big = BigInt(m[0]);
      if (big >= INT64_MIN && big <= INT64_MAX) return Number(big) || 0;
    }
    return new PhpFloat(Number(m[0]));
  }

  private array(depth: number): PhpJson[] {
    const out: PhpJson[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.src[this.pos] === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      out.push(this.value(depth));
      this.skipWhitespace();
      const c = this.src[this.pos++];
      if (c === 0x5d) return out;
      if (c !== 0x2c) {
        this.pos--;
        this.unexpected();
      }
    }
  }

  private object(depth: number): PhpJsonObject {
    const out: PhpJsonObject = new Map();
    this.pos++;
    this.skipWhitespace();
    if (this.src[this.pos] === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.src[this.pos] !== 0x22) this.unexpected();
      const key = this.string();
      this.skipWhitespace();
      if (this.src[this.pos] !== 0x3a) this.unexpected();
      this.pos++;
      this.skipWhitespace();
      out.set(key, this.value(depth));
      this.skipWhitespace();
      const c = this.src[this.pos++];
      if (c === 0x7d) return out;
      if (c !== 0x2c) {
        this.pos--;
        this.unexpected();
      }
    }
  }

  private string(): string {
    const s = this.src;
    let out = '';
    let start = ++this.pos;
    for (;;) {
      if (this.pos >= s.length) throw new PhpJsonError(SYNTAX);
      const c = s[this.pos]!;
      if (c === 0x22 || c === 0x5c) {
        out += utf8(s, start, this.pos);
        if (c === 0x22) {
          this.pos++;
          return out;
        }
        out += this.escape();
        start = this.pos;
      } else if (c < 0x20) {
        throw new PhpJsonError(CTRL);
      } else {
        this.pos++;
      }
    }
  }

  /** Reads one escape at `\`; returns its text. */
  private escape(): string {
    const e = this.src[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case 0x22:
        return '"';
      case 0x5c:
        return '\\';
      case 0x2f:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75: {
        const unit = this.hex4();
        if (unit >= 0xdc00 && unit <= 0xdfff) throw new PhpJsonError(UTF16);
        if (unit < 0xd800 || unit > 0xdbff) return String.fromCharCode(unit);
        if (this.src[this.pos] !== 0x5c || this.src[this.pos + 1] !== 0x75) throw new PhpJsonError(UTF16);
        this.pos += 2;
        const low = this.hex4();
        if (low < 0xdc00 || low > 0xdfff) throw new PhpJsonError(UTF16);
        return String.fromCharCode(unit, low);
      }
      default:
        throw new PhpJsonError(SYNTAX);
    }
  }

  private hex4(): number {
    const text = this.src.toString('latin1', this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(text)) throw new PhpJsonError(SYNTAX);
    this.pos += 4;
    return parseInt(text, 16);
  }
}

function utf8(src: Buffer, start: number, end: number): string {
  if (start === end) return '';
  try {
    return utf8Decoder.decode(src.subarray(start, end));
  } catch {
    throw new PhpJsonError(UTF8);
  }
}

/**
 * Encodes like PHP `json_encode()` (style `php`, the default) or as plain
 * UTF-8 JSON (`utf8`). Supports null, booleans, safe integers, strings,
 * arrays, Maps and plain objects (an empty object is written `{}`).
 * Throws PhpJsonError on anything else or on a lone surrogate.
 */
export function phpJsonEncode(value: unknown, style: JsonStyle = 'php'): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return quote(value, style === 'php');
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new PhpJsonError(`Cannot encode non-integer number ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => phpJsonEncode(v, style)).join(',')}]`;
  let entries: [string, unknown][];
  if (value instanceof Map) entries = [...value.entries()];
  else if (isPlainObject(value)) entries = Object.entries(value);
  else throw new PhpJsonError(`Cannot encode ${typeof value}`);
  const php = style === 'php';
  return `{${entries.map(([k, v]) => `${quote(String(k), php)}:${phpJsonEncode(v, style)}`).join(',')}}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const SHORT_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' };

function quote(s: string, php: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      out += '\\"';
    } else if (c === 0x5c) {
      out += '\\\\';
    } else if (c === 0x2f) {
      out += php ? '\\/' : '/';
    } else if (c < 0x20) {
      out += SHORT_ESCAPES[c] ?? `\\u${hex4(c)}`;
    } else if (c < 0x80) {
      out += s[i];
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const low = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) throw new PhpJsonError(UTF8);
      out += php ? `\\u${hex4(c)}\\u${hex4(low)}` : s.slice(i, i + 2);
      i++;
    } else {
      out += php ? `\\u${hex4(c)}` : s[i];
    }
  }
  return out + '"';
}

function hex4(unit: number): string {
  return unit.toString(16).padStart(4, '0');
}
