import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Max, Min } from 'class-validator';
import { Optional, StrLen } from '../../common/validators.js';

export const MEDIA_LINK_MIN_TTL = 60;
export const MEDIA_LINK_MAX_TTL = 86400;
export const MEDIA_LINK_DEFAULT_TTL = 3600;

export class CreateMediaLinkDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') server_id: string;

  @ApiProperty({
    example: '/media/movie.mp4',
    description: 'path prefix on the server the link reaches (a file, or a folder ending in /)',
    maxLength: 2048,
  })
  @IsString()
  @StrLen(1, 2048)
  path: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: MEDIA_LINK_MIN_TTL,
    maximum: MEDIA_LINK_MAX_TTL,
    default: MEDIA_LINK_DEFAULT_TTL,
  })
  @Optional()
  @IsInt()
  @Min(MEDIA_LINK_MIN_TTL)
  @Max(MEDIA_LINK_MAX_TTL)
  ttl_seconds?: number;
}

/** A media link: its URL carries the secret, shown once. */
export class MediaLinkDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    format: 'uri',
    description: '<HUB_PUBLIC_URL>/m/<secret><path>: open it in VLC, mpv or a TV (Range requests work)',
  })
  url: string;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ description: 'the path prefix the link reaches' }) path: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}
