import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth.decorators.js';
import { HubInfoService } from './hub-info.service.js';

/** Public hub policy: id, name, URL, version, terms / privacy / content policy, federation status. */
@ApiTags('hub')
@Controller()
export class HubInfoController {
  constructor(private readonly info: HubInfoService) {}

  @Public() @Get('api/v1/hub') @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'This hub\'s identity and policies (federation.enabled is false in v1)' })
  hub() {
    return this.info.info();
  }

  @Public() @Get('.well-known/phlix-hub.json') @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'Same as GET /api/v1/hub, at a well-known location' })
  wellKnown() {
    return this.info.info();
  }
}
