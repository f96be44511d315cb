import { Injectable } from '@nestjs/common';
import { Clock } from './clock.js';
import { HubMetaRepository } from './hub-meta.repository.js';

/** Live, durable hub settings (table hub_meta, key "setting:<name>"); override env defaults at run time. */
@Injectable()
export class HubSettings {
  constructor(
    private readonly meta: HubMetaRepository,
    private readonly clock: Clock,
  ) {}

  async get(name: string): Promise<string | null> {
    return (await this.meta.getValue(`setting:${name}`)) ?? null;
  }

  async set(name: string, value: string | null): Promise<void> {
    if (value === null) await this.meta.deleteKey(`setting:${name}`);
    else await this.meta.putValue(`setting:${name}`, value, this.clock.now());
  }
}
