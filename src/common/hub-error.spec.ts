import 'reflect-metadata';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import { plainToInstance, Type } from 'class-transformer';
import { HubError, rateLimited } from './hub-error.js';
import { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes.js';
import { toErrorResponse } from './error-response.js';
import { validationError } from './validation-error.js';

describe('HubError', () => {
  test('takes only registered codes: an unknown one does not compile, and throws if forced', () => {
    const unknown = 'user.no_such_code' as const;
    // @ts-expect-error: 'user.no_such_code' is not a key of ERROR_CODES
    expect(() => new HubError(unknown, 'x')).toThrow(/not registered/);
    const known: ErrorCode = 'user.not_found';
    expect(new HubError(known, 'No such user').getStatus()).toBe(404);
  });

  test('codes are a closed union of the registry keys', () => {
    expect(isErrorCode('auth.required')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('nope.nope')).toBe(false);
    // a registry entry whose key is not a string literal would widen ErrorCode to string
    const notAString: Exclude<ErrorCode, `${string}.${string}`> extends never ? true : false = true;
    expect(notAString).toBe(true);
    expect(Object.keys(ERROR_CODES).length).toBeGreaterThan(50);
  });

  test('rateLimited adds Retry-After', () => {
    const r = toErrorResponse(rateLimited('auth.rate_limited', 12.2));
    expect(r).toEqual({
      status: 429,
      body: { error: 'Too many requests; try again later', code: 'auth.rate_limited' },
      headers: { 'Retry-After': '13' },
    });
  });
});

class Inner {
  @IsInt() @Min(1) n!: number;
}
class Outer {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

describe('validation errors', () => {
  test('carry every refused field next to {error, code}', () => {
    const errors = validateSync(plainToInstance(Outer, { name: 5, inner: { n: 0 } }));
    const { status, body } = toErrorResponse(validationError(errors));
    expect(status).toBe(400);
    expect(body.code).toBe('request.validation_failed');
    expect(body.error).toBe('name must be a string; inner.n must not be less than 1');
    expect(body.fields).toEqual([
      { field: 'name', message: 'name must be a string' },
      { field: 'inner.n', message: 'n must not be less than 1' },
    ]);
  });

  test('other errors have no fields', () => {
    expect(toErrorResponse(new HubError('user.not_found', 'No such user')).body).toEqual({
      error: 'No such user',
      code: 'user.not_found',
    });
  });
});

describe('toErrorResponse', () => {
  test('framework exceptions map to registered codes', () => {
    expect(toErrorResponse(new NotFoundException()).body.code).toBe('route.not_found');
    expect(toErrorResponse(new BadRequestException('Unexpected token } in JSON')).body).toEqual({
      error: 'The request body is not valid JSON',
      code: 'request.malformed_json',
    });
    expect(toErrorResponse({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' })).toEqual({
      status: 413,
      body: { error: 'The request body is too large', code: 'request.too_large' },
      headers: {},
    });
  });

  test('anything else is a 500 without its message; the caller gets it for the log', () => {
    const seen: unknown[] = [];
    const e = new Error('secret db password in here');
    const r = toErrorResponse(e, (x) => seen.push(x));
    expect(r).toEqual({ status: 500, body: { error: 'Internal error', code: 'internal.error' }, headers: {} });
    expect(seen).toEqual([e]);
  });
});
