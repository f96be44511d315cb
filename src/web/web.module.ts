import { Module } from '@nestjs/common';
import { WebAppRoute } from './web-app.route.js';

/** The web app for people (web/, built to HUB_WEB_DIR), served at `/` beside the API. */
@Module({ providers: [WebAppRoute] })
export class WebModule {}
