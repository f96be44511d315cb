import { Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';

/** The fields of a signed-in account the per-request checks look at. */
export interface CheckedUser {
  id: string;
  linkedHubId: string | null;
}

/**
 * Extra per-request checks on a signed-in user (e.g. federation: is the user's peer hub blocked?;
 * auth: has the access token's session ended?). `access`: the verified access-token claims when the
 * user came with one (absent at sign-in/refresh). Throw HubError to refuse.
 */
export type UserCheck = (user: CheckedUser, access?: JWTPayload) => Promise<void> | void;

/**
 * The list of user checks every sign-in path runs. Several features contribute one each (register
 * in onModuleInit), so this stays a list rather than a single injected port.
 */
@Injectable()
export class AuthRegistry {
  readonly userChecks: UserCheck[] = [];

  addUserCheck(c: UserCheck): void {
    this.userChecks.push(c);
  }
}
