import { TrustedHub } from './trusted-hub.entity.js';
import { UsedIdentityToken } from './used-identity-token.entity.js';
// Entities of the federation feature.
export const federationEntities: Function[] = [TrustedHub, UsedIdentityToken];
