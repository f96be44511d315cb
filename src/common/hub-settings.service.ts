import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from './clock.js';
import { DbDialect } from '../database/dialect.js';

/** Live, durable hub settings (table hub_meta, key "setting:<name>"); override env defaults at run time. */
@Injectable()
export class HubSettings {
  constructor(private readonly ds: DataSource, private readonly dialect: DbDialect, private readonly clock: Clock) {}

  async get(name: string): Promise<string | null> {
    const rows: { v: string | null }[] = await this.ds.query('SELECT v FROM hub_meta WHERE k = ?', [`setting:${name}`]);
    return rows.length ? rows[0].v : null;
  }

  async set(name: string, value: string | null): Promise<void> {
    if (value === null) {
      await this.ds.query('DELETE FROM hub_meta WHERE k = ?', [`setting:${name}`]);
      return;
    }
    await this.ds.query(
      `INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?) ${this.dialect.upsertSuffix(['k'], `v = ${this.dialect.excluded('v')}, updated_at = ${this.dialect.excluded('updated_at')}`)}`,
      [`setting:${name}`, value, this.clock.now()],
    );
  }
}
