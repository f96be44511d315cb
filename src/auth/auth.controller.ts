import { Body, Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../common/bearer.js';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { AuthService } from './auth.service.js';
import { KeysService } from './keys.service.js';
import { LoginDto, LogoutDto, RefreshDto, RegisterDto } from './dto/auth.dto.js';
import { AuthSessionDto, JwksDto } from './dto/auth-responses.dto.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @ApiCreatedResponse({ type: AuthSessionDto })
  @Public() @Post('register') @HttpCode(201)
  register(@Body() dto: RegisterDto, @ClientIp() ip: string): Promise<AuthSessionDto> {
    return this.auth.register(dto, ip);
  }

  /** Alias kept for PHP-hub clients. */
  @ApiCreatedResponse({ type: AuthSessionDto })
  @Public() @Post('signup') @HttpCode(201)
  signup(@Body() dto: RegisterDto, @ClientIp() ip: string): Promise<AuthSessionDto> {
    return this.auth.register(dto, ip);
  }

  @ApiOkResponse({ type: AuthSessionDto })
  @Public() @Post('login') @HttpCode(200)
  login(@Body() dto: LoginDto, @ClientIp() ip: string): Promise<AuthSessionDto> {
    return this.auth.login(dto, ip);
  }

  @ApiOkResponse({ type: AuthSessionDto })
  @Public() @Post('refresh') @HttpCode(200)
  refresh(@Body() dto: RefreshDto, @ClientIp() ip: string): Promise<AuthSessionDto> {
    return this.auth.refresh(dto.refresh_token, ip);
  }

  @ApiNoContentResponse({ description: 'Signed out: the refresh token (and the session of the access token) no longer work' })
  @Public() @Post('logout') @HttpCode(204)
  async logout(@Body() dto: LogoutDto, @Req() req: FastifyRequest) {
    await this.auth.logout(dto?.refresh_token, bearerToken(req));
  }
}

@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeysService) {}

  @ApiOkResponse({ type: JwksDto })
  @Public() @Get('jwks.json') @Header('Cache-Control', 'public, max-age=300')
  jwks(): JwksDto {
    return this.keys.jwks();
  }
}
