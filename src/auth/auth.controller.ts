import { Body, Controller, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { AuthService } from './auth.service.js';
import { KeysService } from './keys.service.js';
import { LoginDto, LogoutDto, RefreshDto, RegisterDto } from './dto/auth.dto.js';
import { ApiSessionAnswer, type SessionAnswerDto, JwksDto } from './dto/auth-responses.dto.js';
import { CookieSessionResponder } from './cookie-session.responder.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: CookieSessionResponder,
  ) {}

  @ApiSessionAnswer(201)
  @Public()
  @Post('register')
  @HttpCode(201)
  register(
    @Body() dto: RegisterDto,
    @ClientIp() ip: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionAnswerDto> {
    return this.cookies.answer(req, reply, this.auth.register(dto, ip));
  }

  /** Alias kept for PHP-hub clients. */
  @ApiSessionAnswer(201)
  @Public()
  @Post('signup')
  @HttpCode(201)
  signup(
    @Body() dto: RegisterDto,
    @ClientIp() ip: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionAnswerDto> {
    return this.cookies.answer(req, reply, this.auth.register(dto, ip));
  }

  @ApiSessionAnswer(200)
  @Public()
  @Post('login')
  @HttpCode(200)
  login(
    @Body() dto: LoginDto,
    @ClientIp() ip: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionAnswerDto> {
    return this.cookies.answer(req, reply, this.auth.login(dto, ip));
  }

  @ApiSessionAnswer(200)
  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(
    @Body() dto: RefreshDto,
    @ClientIp() ip: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionAnswerDto> {
    return this.cookies.refresh(req, reply, dto?.refresh_token, ip);
  }

  @ApiNoContentResponse({
    description:
      'Signed out: the refresh token (and the session of the access token, or the cookie session, whose cookies are cleared) no longer work',
  })
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() dto: LogoutDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.cookies.logout(req, reply, dto?.refresh_token);
  }
}

@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeysService) {}

  @ApiOkResponse({ type: JwksDto })
  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): JwksDto {
    return this.keys.jwks();
  }
}
