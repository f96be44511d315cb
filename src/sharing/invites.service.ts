import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { HubConfig } from '../config/config.js';
import { AuditService } from '../audit/audit.service.js';
import { sha256Hex } from '../common/sha256.js';
import type { AuthUser } from '../common/auth.decorators.js';
import { InviteLink } from './entities/invite-link.entity.js';
import { LibraryShare } from './entities/library-share.entity.js';
import { SharingStore } from './sharing-store.js';
import { SharesRepository } from './shares.repository.js';
import { InvitesRepository } from './invites.repository.js';
import { ServersRepository } from '../servers/servers.repository.js';
import { SharesService } from './shares.service.js';
import { CreateInviteDto, DEFAULT_INVITE_TTL } from './dto/invites.dto.js';
import { includes, iso } from './permissions.js';

/** 32 random bytes, base64url: 256 bits. */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
const gone = () => new HubError('invite.expired_or_exhausted', 'This invite link has expired or has been used up');
const unknown = () => new HubError('invite.not_found', 'Invalid invite link');
/** expiry `a` is at least as late as `b` (null = never expires) */
const lastsAtLeast = (a: number | null, b: number | null) => a === null || (b !== null && a >= b);

/**
 * Invite links: bearer tokens (shown once, SHA-256 at rest) that grant a share to whoever redeems them.
 * Redeeming consumes one use with a single conditional UPDATE, so the last use has exactly one winner.
 */
@Injectable()
export class InvitesService {
  constructor(
    private readonly store: SharingStore,
    private readonly invites: InvitesRepository,
    private readonly shareRows: SharesRepository,
    private readonly servers: ServersRepository,
    private readonly shares: SharesService,
    private readonly clock: Clock,
    private readonly cfg: HubConfig,
    private readonly audit: AuditService,
    private readonly rate: RateLimitService,
  ) {}

  async create(me: AuthUser, dto: CreateInviteDto, ip: string) {
    await this.rate.consume(`invite.create:${me.id}`, 60, 600);
    const server = await this.store.ownedServer(me.id, dto.server_id);
    const lib = await this.store.library(server.id, dto.library_id);
    const now = this.clock.now();
    const ttl = dto.expires_in ?? DEFAULT_INVITE_TTL;
    const token = randomBytes(32).toString('base64url');
    const inv: InviteLink = Object.assign(new InviteLink(), {
      id: randomUUID(),
      ownerId: me.id,
      serverId: server.id,
      ...lib,
      permission: dto.permission,
      tokenHash: sha256Hex(token),
      maxUses: dto.max_uses ?? 1,
      useCount: 0,
      expiresAt: ttl === 0 ? null : now + ttl * 1000,
      revokedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.invites.insert(inv);
    await this.audit.record({
      action: 'invite.created',
      actorId: me.id,
      targetType: 'invite_link',
      targetId: inv.id,
      ip,
      details: {
        server_id: inv.serverId,
        library_id: inv.libraryId,
        permission: inv.permission,
        max_uses: inv.maxUses,
        expires_at: iso(inv.expiresAt),
      },
    });
    return {
      id: inv.id,
      token,
      url: `${this.cfg.http.publicUrl}/invite/${token}`,
      expires_at: iso(inv.expiresAt),
      max_uses: inv.maxUses,
      server_id: inv.serverId,
      library_id: inv.libraryId,
      permission: inv.permission,
    };
  }

  /** The caller's links that are not revoked (expired and used-up ones stay listed with their status). */
  async list(me: AuthUser) {
    const rows = await this.invites.unrevokedOf(me.id);
    const ctx = await this.store.context(rows);
    return { invite_links: rows.map((r) => this.store.inviteView(r, ctx)) };
  }

  async revoke(me: AuthUser, id: string, ip: string): Promise<void> {
    const inv = await this.invites.findById(id);
    if (!inv || inv.ownerId !== me.id || inv.revokedAt !== null) {
      throw new HubError('invite.not_found', 'No such invite link');
    }
    await this.revokeRow(inv);
    await this.audit.record({
      action: 'invite.revoked',
      actorId: me.id,
      targetType: 'invite_link',
      targetId: id,
      ip,
      details: { server_id: inv.serverId },
    });
  }

  async revokeRow(inv: InviteLink): Promise<void> {
    await this.invites.revoke(inv.id, this.clock.now());
  }

  /** Public: what the link offers, without ids or secrets. Unknown/revoked → 404; expired/used up → 410. */
  async preview(token: string, ip: string) {
    await this.rate.consume(`invite.preview:${ip}`, 60, 60);
    const inv = await this.usable(token);
    const ctx = await this.store.context([inv]);
    return {
      server_name: ctx.servers.get(inv.serverId)?.name ?? null,
      scope: inv.libraryId === null ? 'server' : 'library',
      library_name: this.store.libraryName(ctx, inv.serverId, inv.libraryId, inv.libraryName),
      permission: inv.permission,
      inviter_display_name: ctx.users.get(inv.ownerId)?.displayName ?? null,
      expires_at: iso(inv.expiresAt),
    };
  }

  /**
   * Grant the link's share to the caller, never more than the caller's share and the link each grant
   * (docs/sharing.md, "Redeeming while holding a share"):
   *  - a live share that already covers the link (scope, permission and expiry) → 409 share.exists;
   *  - a share of the same scope that the link covers entirely (permission and expiry) → replaced by
   *    the link's permission and expiry (one use consumed);
   *  - a share of the same scope that the link does not cover (it lasts longer, or grants more) →
   *    409 invite.share_conflict: one share cannot hold both, and neither may be widened or cut;
   *  - otherwise (no share of that scope) a new share with the link's permission and expiry.
   * A refused redeem consumes no use and changes nothing.
   */
  async redeem(me: AuthUser, token: string, ip: string) {
    await this.rate.consume(`invite.redeem:${me.id}`, 30, 600);
    const inv = await this.usable(token);
    if (inv.ownerId === me.id) throw new HubError('invite.own_link', 'You cannot redeem your own invite link');
    const mine = await this.shareRows.liveOf(inv.serverId, me.id);
    if (
      mine.some(
        (s) =>
          (s.libraryId === null || s.libraryId === inv.libraryId) &&
          includes(s.permission, inv.permission) &&
          lastsAtLeast(s.expiresAt, inv.expiresAt),
      )
    ) {
      throw new HubError('share.exists', 'You already have this access (or better) to that server');
    }
    const weaker = mine.find((s) => s.libraryId === inv.libraryId);
    if (weaker && !(includes(inv.permission, weaker.permission) && lastsAtLeast(inv.expiresAt, weaker.expiresAt))) {
      throw new HubError(
        'invite.share_conflict',
        'You already hold a share of this that the link would cut short or lower; ask the owner to change your share instead',
      );
    }
    await this.consumeUse(inv);
    let sh: LibraryShare;
    try {
      sh = weaker
        ? await this.upgrade(weaker, inv)
        : await this.shares.insert({
            ownerId: inv.ownerId,
            granteeId: me.id,
            serverId: inv.serverId,
            libraryId: inv.libraryId,
            libraryName: inv.libraryName,
            permission: inv.permission,
            source: 'invite',
            inviteId: inv.id,
            expiresAt: inv.expiresAt,
          });
    } catch (e) {
      // the grant failed (e.g. a concurrent redeem by the same user won): give the use back
      await this.invites.returnUse(inv.id);
      throw e;
    }
    await this.audit.record({
      action: 'invite.redeemed',
      actorId: me.id,
      targetType: 'invite_link',
      targetId: inv.id,
      ip,
      details: {
        share_id: sh.id,
        server_id: inv.serverId,
        library_id: inv.libraryId,
        permission: inv.permission,
        upgraded: !!weaker,
      },
    });
    return this.shares.view(sh);
  }

  /** The one atomic step: exactly max_uses redeemers win, however many race. */
  private async consumeUse(inv: InviteLink): Promise<void> {
    if (!(await this.invites.consumeUse(inv.id, this.clock.now()))) throw gone();
  }

  private async upgrade(sh: LibraryShare, inv: InviteLink): Promise<LibraryShare> {
    const expiresAt = inv.expiresAt; // redeem() checked that the link lasts at least as long as `sh`
    const changed = await this.shareRows.updateUnrevoked(sh.id, {
      permission: inv.permission,
      expiresAt,
      inviteId: inv.id,
      updatedAt: this.clock.now(),
    });
    if (!changed) throw new HubError('share.exists', 'Your share changed meanwhile; try again');
    return (await this.shareRows.findById(sh.id))!;
  }

  /** A link that exists, is not revoked, whose server still belongs to its creator, and is neither expired nor used up. */
  private async usable(token: string): Promise<InviteLink> {
    if (!TOKEN_RE.test(token)) throw unknown();
    const inv = await this.invites.findByTokenHash(sha256Hex(token));
    if (!inv || inv.revokedAt !== null) throw unknown();
    const server = await this.servers.findById(inv.serverId);
    if (!server || server.ownerId !== inv.ownerId) throw unknown();
    if (this.store.inviteStatus(inv) !== 'active') throw gone();
    return inv;
  }
}
