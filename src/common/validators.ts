import { ValidateBy, ValidateIf, ValidationOptions, buildMessage } from 'class-validator';

/**
 * String length in UTF-16 code units, which is never less than the number of characters a
 * database column counts. class-validator's Length/MaxLength discount surrogate pairs and
 * emoji presentation selectors, so a value they accept can still overflow a varchar(N) on
 * MySQL (strict mode → 500). Use this for every field that is stored.
 */
export function StrLen(min: number, max: number, opts?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'strLen',
      constraints: [min, max],
      validator: {
        validate: (v: unknown) => typeof v === 'string' && v.length >= min && v.length <= max,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a string of ${min} to ${max} characters`,
          opts,
        ),
      },
    },
    opts,
  );
}

/**
 * Like @IsOptional() but only for an ABSENT field: an explicit `null` is still validated (and so
 * refused by @IsString/@IsBoolean…). Use it for every optional field whose column is NOT NULL.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_o, v) => v !== undefined);
}

/** C0/C1 control characters, line/paragraph separators and bidi embedding/override/isolate controls. */
export const CONTROL_CHARS_RE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** Refuse control characters (newlines, escapes, NUL, bidi overrides) in a display text such as a display name. */
export function NoControlChars(opts?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'noControlChars',
      validator: {
        validate: (v: unknown) => typeof v !== 'string' || !CONTROL_CHARS_RE.test(v),
        defaultMessage: buildMessage((each) => `${each}$property must not contain control characters`, opts),
      },
    },
    opts,
  );
}
