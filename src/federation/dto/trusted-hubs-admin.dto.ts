import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { HUB_ID_RE } from '../jwks.js';

const JWKS_DOC =
  "the peer's public keys: its GET /.well-known/jwks.json (object or JSON text); Ed25519 (OKP) keys with a kid only";

export class CreateTrustedHubDto {
  @ApiProperty({ example: 'hub-a', description: "the peer's HUB_ID (the issuer of its tokens)" })
  @IsString()
  @Length(1, 128)
  @Matches(HUB_ID_RE, { message: 'hub_id may use letters, digits and . _ : -' })
  hub_id: string;

  @ApiProperty({ example: 'Hub A (friends)' }) @IsString() @Length(1, 200) name: string;

  @ApiProperty({ example: 'https://hub-a.example.com' })
  @IsString()
  @MaxLength(2048)
  @Matches(/^https?:\/\/\S+$/i, { message: 'url must be an absolute http(s) URL' })
  url: string;

  @ApiProperty({ description: JWKS_DOC, type: Object }) @IsDefined() jwks: unknown;

  @ApiPropertyOptional({ description: 'add the peer already blocked' }) @IsOptional() @IsBoolean() blocked?: boolean;
}

export class PatchTrustedHubDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(/^https?:\/\/\S+$/i, { message: 'url must be an absolute http(s) URL' })
  url?: string;

  @ApiPropertyOptional({ description: `replace the keys (rotation): ${JWKS_DOC}`, type: Object })
  @IsOptional()
  @IsDefined()
  jwks?: unknown;

  @ApiPropertyOptional({
    description: "true stops the peer's tokens and its linked users at once; false lifts the block",
  })
  @IsOptional()
  @IsBoolean()
  blocked?: boolean;
}
