import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const NULL_DOC = 'null reverts to the value from the environment; absent leaves it unchanged';

/** PUT /api/v1/admin/hub-info: overrides of the env/config values, stored durably (hub settings). */
export class PutHubInfoDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: `hub display name (1–200). ${NULL_DOC}` })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: `public URL of the hub. ${NULL_DOC}` })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(/^https?:\/\/[^\s/]+\S*$/i, { message: 'public_url must be an absolute http(s) URL' })
  public_url?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: `terms of service: text or a URL (≤ 20000). ${NULL_DOC}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  terms_of_service?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: `privacy policy: text or a URL (≤ 20000). ${NULL_DOC}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  privacy_policy?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: `content policy: text or a URL (≤ 20000). ${NULL_DOC}`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  content_policy?: string | null;
}
