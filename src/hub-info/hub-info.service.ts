import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { HubConfig } from '../config/config.js';
import { HubSettings } from '../common/hub-settings.service.js';
import { HubError } from '../common/hub-error.js';
import { AuditService } from '../audit/audit.service.js';

export const HUB_INFO_FIELDS = ['name', 'public_url', 'terms_of_service', 'privacy_policy', 'content_policy'] as const;
export type HubInfoField = (typeof HUB_INFO_FIELDS)[number];
type Overrides = Partial<Record<HubInfoField, string>>;

/** One durable setting holds every admin override (one read per request). */
const SETTING = 'hub_info';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return process.env.npm_package_version ?? '0.0.0';
  }
}

const VERSION = packageVersion();

/**
 * What this hub publishes about itself (federation-policy: hub URL, terms, privacy, content policy),
 * from the environment unless an admin overrode it. `federation.enabled` is always false in v1.
 */
@Injectable()
export class HubInfoService {
  constructor(
    private readonly cfg: HubConfig,
    private readonly settings: HubSettings,
    private readonly audit: AuditService,
  ) {}

  async info() {
    const o = await this.overrides();
    const v = this.values(o);
    return {
      hub_id: this.cfg.hub.id,
      name: v.name,
      public_url: v.public_url,
      version: VERSION,
      terms_of_service: v.terms_of_service || null,
      privacy_policy: v.privacy_policy || null,
      content_policy: v.content_policy || null,
      federation: {
        enabled: false,
        manual_account_linking: true,
        jwks_uri: `${v.public_url}/.well-known/jwks.json`,
        link_endpoint: `${v.public_url}/api/v1/auth/link`,
      },
    };
  }

  /** Admin view: the published info plus where each value comes from. */
  async adminView() {
    const o = await this.overrides();
    const sources = Object.fromEntries(HUB_INFO_FIELDS.map((f) => [f, o[f] !== undefined ? 'admin' : 'env'])) as Record<
      HubInfoField,
      'admin' | 'env'
    >;
    return { ...(await this.info()), sources };
  }

  async update(patch: Partial<Record<HubInfoField, string | null>>, actorId: string, ip: string) {
    const o = await this.overrides();
    const changed: string[] = [];
    for (const f of HUB_INFO_FIELDS) {
      if (!(f in patch) || patch[f] === undefined) continue;
      const val = patch[f];
      if (val === null) delete o[f];
      else o[f] = f === 'public_url' ? this.checkUrl(val) : f === 'name' ? val.trim() || this.badName() : val;
      changed.push(f);
    }
    await this.settings.set(SETTING, Object.keys(o).length ? JSON.stringify(o) : null);
    await this.audit.record({
      action: 'admin.hub_info_updated',
      actorType: 'admin',
      actorId,
      targetType: 'hub',
      targetId: this.cfg.hub.id,
      ip,
      details: { fields: changed },
    });
    return this.adminView();
  }

  private values(o: Overrides): Record<HubInfoField, string> {
    return {
      name: o.name ?? this.cfg.hub.name,
      public_url: o.public_url ?? this.cfg.http.publicUrl,
      terms_of_service: o.terms_of_service ?? this.cfg.hub.termsOfService,
      privacy_policy: o.privacy_policy ?? this.cfg.hub.privacyPolicy,
      content_policy: o.content_policy ?? this.cfg.hub.contentPolicy,
    };
  }

  private async overrides(): Promise<Overrides> {
    const raw = await this.settings.get(SETTING);
    if (!raw) return {};
    try {
      const o = JSON.parse(raw) as Record<string, unknown>;
      return Object.fromEntries(
        HUB_INFO_FIELDS.filter((f) => typeof o[f] === 'string').map((f) => [f, o[f] as string]),
      );
    } catch {
      return {};
    }
  }

  private checkUrl(v: string): string {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new HubError('request.validation_failed', 'public_url must be an absolute http(s) URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new HubError('request.validation_failed', 'public_url must be an http(s) URL');
    }
    return v.replace(/\/+$/, '');
  }

  private badName(): never {
    throw new HubError('request.validation_failed', 'name must not be blank');
  }
}
