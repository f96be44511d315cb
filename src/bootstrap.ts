import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addRelayPaths } from './relay/relay-openapi.js';
import { AppModule } from './app.module.js';
import { HubConfig } from './config/config.js';
import { HubExceptionFilter } from './common/exception.filter.js';
import { validationError } from './common/validation-error.js';
import { createPino, PinoNestLogger } from './common/logger.js';
import { trustFunction } from './common/client-ip.js';
import {
  clientErrorHandler,
  frameworkErrors,
  installRequestHardening,
  MAX_PARAM_LENGTH,
} from './common/http-hardening.js';
import { nodeServerTimeouts } from './common/http-timeouts.js';
import { relayHostRewrite } from './relay/origin/host-template.js';

export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: validationError,
  });

/** Create the Nest app on Fastify with the hub's global pipes, filter, security headers and OpenAPI. */
export async function configureApp(
  app: NestFastifyApplication,
  cfg: HubConfig,
  opts: { swaggerUi?: boolean } = {},
): Promise<void> {
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HubExceptionFilter());
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  installRequestHardening(fastify, { requestTimeoutMs: cfg.http.requestTimeoutMs });
  fastify.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    return payload;
  });
  const doc = new DocumentBuilder()
    .setTitle('Phlix Hub')
    .setDescription('Claim, presence, sharing and relay for Phlix media servers')
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .addBearerAuth()
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'server enrollment JWT' },
      'enrollment-jwt',
    )
    .build();
  const document = addRelayPaths(SwaggerModule.createDocument(app, doc));
  // Swagger UI's static assets load @fastify/static (CJS requiring ESM): off under jest on Node 20.
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    swaggerUiEnabled: opts.swaggerUi ?? true,
  });
}

export function fastifyAdapter(cfg: HubConfig): FastifyAdapter {
  const t = nodeServerTimeouts(cfg);
  return new FastifyAdapter({
    trustProxy: trustFunction({ hops: cfg.http.trustProxyHops, addrs: cfg.http.trustProxyAddrs }),
    bodyLimit: cfg.http.bodyLimitBytes,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // header / idle / keep-alive timeouts (HUB_HTTP_*); Node's whole-request timeout stays off on this
    // port (it would cut long relayed uploads): API requests get theirs from installRequestHardening.
    http: {
      headersTimeout: t.headersTimeout,
      requestTimeout: 0,
      connectionsCheckingInterval: t.connectionsCheckingInterval,
    },
    requestTimeout: 0,
    connectionTimeout: t.idleTimeout,
    keepAliveTimeout: t.keepAliveTimeout,
    frameworkErrors,
    clientErrorHandler,
    rewriteUrl: relayHostRewrite(cfg),
  });
}

export async function createHubApp(cfg: HubConfig, logger = true): Promise<NestFastifyApplication> {
  const pinoLogger = createPino(cfg.log.level);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(), fastifyAdapter(cfg), {
    logger: logger ? new PinoNestLogger(pinoLogger) : false,
    bufferLogs: true,
  });
  await configureApp(app, cfg);
  return app;
}
