import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/** argon2id hashing. Unknown users pay for a dummy verify so timing does not reveal accounts. */
@Injectable()
export class PasswordService {
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    if (!hash) {
      await this.burn(password);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spend the same time as a real verification. */
  async burn(password: string): Promise<void> {
    this.dummy ??= this.hash('phlix-dummy-password-for-timing');
    try {
      await argon2.verify(await this.dummy, password);
    } catch {
      /* ignore */
    }
  }
}
