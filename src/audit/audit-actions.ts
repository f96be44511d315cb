/**
 * Every action the audit log records (the catalogue in docs/deploy.md, "Audit log"). A new audited
 * act is added here and there; `AuditService.record` takes nothing else.
 */
export const AUDIT_ACTIONS = [
  // accounts
  'auth.register',
  'auth.login',
  'auth.login_failed',
  'auth.login_limited',
  'auth.refresh_reused',
  'auth.password_changed',
  'user.profile_updated',
  // admin
  'admin.user_created',
  'admin.user_updated',
  'admin.user_deleted',
  'admin.share_revoked',
  'admin.invite_revoked',
  'admin.hub_info_updated',
  'user.quota.set',
  'user.throttle.set',
  // servers
  'server.claim_token_created',
  'server.claimed',
  'server.claim_failed',
  'server.enrolled',
  'server.enrollment_renewed',
  'server.unclaimed',
  'server.renamed',
  'server.released',
  'server.reclaimed',
  'server.deregistered',
  // relay
  'relay.tunnel_rejected',
  'relay.client_token.created',
  'relay.client_token.revoked',
  // sharing
  'share.created',
  'share.updated',
  'share.revoked',
  'share.user_deleted',
  'share.server_released',
  'invite.created',
  'invite.redeemed',
  'invite.revoked',
  // federation
  'federation.peer_trusted',
  'federation.peer_updated',
  'federation.peer_blocked',
  'federation.peer_unblocked',
  'federation.peer_removed',
  'federation.identity_token_issued',
  'federation.account_linked',
  'federation.link_failed',
  // CLI and system
  'cli.user_created',
  'cli.keys_rotated',
  'cli.users_exported',
  'cli.users_imported',
  'cli.servers_exported',
  'cli.shares_exported',
  'cli.shares_imported',
  'audit.purged',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditOutcome = 'success' | 'failure' | 'denied';
export type AuditActorType = 'user' | 'admin' | 'server' | 'system' | 'cli' | 'anonymous';
