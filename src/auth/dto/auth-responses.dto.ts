import { applyDecorators } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
} from '@nestjs/swagger';
import { UserDto } from '../../users/dto/user-responses.dto.js';

/** Register, sign-in and refresh: a token pair and the account. */
export class AuthSessionDto {
  @ApiProperty({ description: 'access JWT for `Authorization: Bearer`' }) access_token: string;
  @ApiProperty({ description: 'single-use refresh token (rotated on every refresh)' }) refresh_token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'seconds until the access token expires' }) expires_in: number;
  @ApiProperty({ type: () => UserDto }) user: UserDto;
}

/** Register, sign-in and refresh with `X-Phlix-Session: cookie`: the tokens are in HttpOnly cookies, never in the body. */
export class CookieSessionDto {
  @ApiProperty({ enum: ['Cookie'] }) token_type: 'Cookie';
  @ApiProperty({ type: 'integer', description: 'seconds until the access cookie expires (then refresh)' })
  expires_in: number;
  @ApiProperty({ type: () => UserDto }) user: UserDto;
}

export type SessionAnswerDto = AuthSessionDto | CookieSessionDto;

/** The answer of a route that starts or renews a session: a token pair, or (cookie mode) the cookies and this body. */
export const ApiSessionAnswer = (status: 200 | 201) =>
  applyDecorators(
    ApiExtraModels(AuthSessionDto, CookieSessionDto),
    ApiHeader({
      name: 'X-Phlix-Session',
      required: false,
      enum: ['cookie'],
      description:
        'cookie: a browser session (HttpOnly cookies, CSRF-protected); absent: a Bearer token pair in the body',
    }),
    (status === 201 ? ApiCreatedResponse : ApiOkResponse)({
      schema: { oneOf: [{ $ref: getSchemaPath(AuthSessionDto) }, { $ref: getSchemaPath(CookieSessionDto) }] },
    }),
  );

/** One public signing key. */
export class JwkDto {
  @ApiProperty({ example: 'OKP' }) kty: string;
  @ApiProperty({ example: 'Ed25519' }) crv: string;
  @ApiProperty({ description: 'public key (base64url)' }) x: string;
  @ApiPropertyOptional({ description: 'second coordinate, for EC keys' }) y?: string;
  @ApiProperty({ description: 'key id (base64url SHA-256 of the public key)' }) kid: string;
  @ApiProperty({ enum: ['sig'] }) use: string;
  @ApiProperty({ example: 'EdDSA' }) alg: string;
}

/** GET /.well-known/jwks.json: the keys tokens of this hub are signed with, the current one first. */
export class JwksDto {
  @ApiProperty({ type: () => [JwkDto] }) keys: JwkDto[];
}
