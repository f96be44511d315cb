import { ApiProperty } from '@nestjs/swagger';

/** An account as the API shows it (own profile, admin views, sign-in answers). */
export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'email',
    description: 'null for accounts linked from another hub',
  })
  email: string | null;
  @ApiProperty() display_name: string;
  @ApiProperty() is_admin: boolean;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ type: String, nullable: true }) region: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the trusted hub this account is linked from; null for local accounts',
  })
  linked_hub_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

/** GET /api/v1/auth/me (the PHP hub's spelling of /api/v1/me). */
export class AuthMeResponseDto {
  @ApiProperty({ type: () => UserDto }) user: UserDto;
}

/** GET /api/v1/admin/users */
export class UserPageDto {
  @ApiProperty({ type: () => [UserDto] }) items: UserDto[];
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) per_page: number;
  @ApiProperty({ type: 'integer' }) total: number;
}
