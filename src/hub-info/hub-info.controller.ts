import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth.decorators.js';
import { HubInfoService } from './hub-info.service.js';
import { HubInfoDto } from './dto/hub-info-responses.dto.js';

/** Public hub policy: id, name, URL, version, terms / privacy / content policy, federation status. */
@ApiTags('hub')
@Controller()
export class HubInfoController {
  constructor(private readonly info: HubInfoService) {}

  @ApiOkResponse({ type: HubInfoDto })
  @Public()
  @Get('api/v1/hub')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: "This hub's identity and policies (federation.enabled is false in v1)" })
  hub(): Promise<HubInfoDto> {
    return this.info.info();
  }

  @ApiOkResponse({ type: HubInfoDto })
  @Public()
  @Get('.well-known/phlix-hub.json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'Same as GET /api/v1/hub, at a well-known location' })
  wellKnown(): Promise<HubInfoDto> {
    return this.info.info();
  }
}
