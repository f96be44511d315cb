import { ApiProperty } from '@nestjs/swagger';

export class HubFederationDto {
  @ApiProperty({ description: 'hub-to-hub federation: always false in v1' }) enabled: boolean;
  @ApiProperty() manual_account_linking: boolean;
  @ApiProperty({ format: 'uri' }) jwks_uri: string;
  @ApiProperty({ format: 'uri' }) link_endpoint: string;
}

/** GET /api/v1/hub and /.well-known/phlix-hub.json */
export class HubInfoDto {
  @ApiProperty() hub_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uri' }) public_url: string;
  @ApiProperty() version: string;
  @ApiProperty({ type: String, nullable: true, description: 'text or a URL' }) terms_of_service: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'text or a URL' }) privacy_policy: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'text or a URL' }) content_policy: string | null;
  @ApiProperty({ type: () => HubFederationDto }) federation: HubFederationDto;
}

const SOURCE = { enum: ['env', 'admin'] };

/** Where each published value comes from: the environment, or an admin override. */
export class HubInfoSourcesDto {
  @ApiProperty(SOURCE) name: string;
  @ApiProperty(SOURCE) public_url: string;
  @ApiProperty(SOURCE) terms_of_service: string;
  @ApiProperty(SOURCE) privacy_policy: string;
  @ApiProperty(SOURCE) content_policy: string;
}

/** GET / PUT /api/v1/admin/hub-info */
export class AdminHubInfoDto extends HubInfoDto {
  @ApiProperty({ type: () => HubInfoSourcesDto }) sources: HubInfoSourcesDto;
}
