import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import passportJwt from 'passport-jwt';
import type { JWTPayload } from 'jose';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { KeysService } from './keys.service.js';

const { Strategy, ExtractJwt } = passportJwt;

export const ACCESS_STRATEGY = 'hub-access';
/** Seconds of clock skew allowed on exp/nbf (as for the EdDSA tokens). */
const CLOCK_TOLERANCE_S = 5;

const invalid = () => new HubError('auth.invalid_token', 'The token is invalid');

/**
 * Each strategy instance (one per hub instance: tests run several in one process) registers with a
 * passport Authenticator of its own, never the process-wide one, so two hubs never verify with
 * each other's keys.
 */
const authenticators = new WeakMap<object, passport.Authenticator>();

/**
 * User access tokens: ES256 JWTs signed by the hub's P-256 key, verified by passport-jwt
 * (jsonwebtoken) with the algorithm pinned to ES256 and issuer and audience checked. The key is
 * picked by the token's kid among the hub's own live P-256 keys only (KeysService.accessKeyFor),
 * so an EdDSA, HS256 or unsigned token, or one signed by any other key, never verifies.
 * Expiry and not-before are checked here against the injected Clock (jsonwebtoken only knows the
 * wall clock). Sits under HubAuthGuard: the guard parses the bearer, calls verify(), then loads
 * the user and runs the session and account checks.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_STRATEGY) {
  constructor(
    keys: KeysService,
    cfg: HubConfig,
    private readonly clock: Clock,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_req, raw, done) => {
        try {
          // jsonwebtoken takes a KeyObject as well (the typings only list PEM strings and buffers)
          done(null, keys.accessKeyFor(raw) as unknown as string);
        } catch (e) {
          done(e);
        }
      },
      algorithms: ['ES256'],
      issuer: cfg.hub.id,
      audience: 'hub',
      ignoreExpiration: true,
      jsonWebTokenOptions: { ignoreNotBefore: true },
    });
  }

  /** Called by the PassportStrategy mixin's constructor to register this strategy. */
  getPassportInstance(): passport.Authenticator {
    let a = authenticators.get(this);
    if (!a) {
      a = new passport.Authenticator();
      authenticators.set(this, a);
    }
    return a;
  }

  /** passport-jwt's verify callback: the signature, alg, issuer and audience are already checked. */
  validate(payload: JWTPayload): JWTPayload {
    const now = this.clock.nowSeconds();
    if (typeof payload.exp !== 'number' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') {
      throw invalid();
    }
    if (payload.exp <= now - CLOCK_TOLERANCE_S) throw new HubError('auth.invalid_token', 'The token has expired');
    if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + CLOCK_TOLERANCE_S)) {
      throw invalid();
    }
    if (payload.iat !== undefined && typeof payload.iat !== 'number') throw invalid();
    if (payload.token_use !== 'access') throw invalid();
    return payload;
  }

  /** Verify an access token through passport; resolves to its claims or rejects with a HubError (401). */
  verify(token: string): Promise<JWTPayload> {
    const req = { headers: { authorization: `Bearer ${token}` } };
    const asHubError = (e: unknown) => (e instanceof HubError ? e : invalid());
    return new Promise((resolve, reject) => {
      const run = this.getPassportInstance().authenticate(
        ACCESS_STRATEGY,
        { session: false },
        (err: unknown, payload: JWTPayload | false, info: unknown) => {
          if (err) return reject(asHubError(err));
          if (!payload) return reject(asHubError(info));
          resolve(payload);
        },
      ) as (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
      run(req, {}, (err) => reject(asHubError(err)));
    });
  }
}
