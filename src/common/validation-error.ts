import type { ValidationError } from '@nestjs/common';
import { HubError, type FieldError } from './hub-error.js';

/** Every refused field (nested ones by dotted path) with the text of each rule it broke. */
export function fieldErrors(errors: ValidationError[], prefix = ''): (FieldError & { text: string })[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => ({
      field: path,
      message: m,
      text: m.startsWith(e.property) ? `${prefix ? prefix + '.' : ''}${m}` : `${path}: ${m}`,
    }));
    return [...own, ...fieldErrors(e.children ?? [], path)];
  });
}

/** 400 request.validation_failed: the rules joined in `error` (as always), and per field in `fields`. */
export function validationError(errors: ValidationError[]): HubError {
  const all = fieldErrors(errors);
  const fields = all
    .slice(0, 50)
    .map(({ field, message }) => ({ field: field.slice(0, 200), message: message.slice(0, 300) }));
  return new HubError(
    'request.validation_failed',
    all
      .map((f) => f.text)
      .join('; ')
      .slice(0, 1000) || 'Invalid request',
    undefined,
    {},
    fields,
  );
}
