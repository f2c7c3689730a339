import { createHash, randomBytes } from 'crypto';
import type Redis from 'ioredis';
import { keys } from '@koda/contracts';

export interface StoredKey {
  /** Short public handle of a key (list, revoke); never enough to use it. */
  id: string;
  user: string;
  created_at: string;
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** API keys managed at run time: only their sha256 is stored, in one Redis hash shared by every replica. */
export class ApiKeyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Makes a key for `user`; the key itself is returned once and never stored. */
  async create(user: string): Promise<{ key: string; stored: StoredKey }> {
    const key = `koda_${randomBytes(24).toString('base64url')}`;
    const hash = hashKey(key);
    const stored: StoredKey = { id: hash.slice(0, 12), user, created_at: new Date().toISOString() };
    await this.redis.hset(keys.apiKeys(this.prefix), hash, JSON.stringify(stored));
    return { key, stored };
  }

  /** The user of `key`, read from Redis on every call so a revocation holds at once everywhere. */
  async userOf(key: string): Promise<string | null> {
    const raw = await this.redis.hget(keys.apiKeys(this.prefix), hashKey(key));
    return raw ? (JSON.parse(raw) as StoredKey).user : null;
  }

  async list(): Promise<StoredKey[]> {
    const all = await this.redis.hvals(keys.apiKeys(this.prefix));
    return all.map((raw) => JSON.parse(raw) as StoredKey).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** Revokes the key with that id, or every key of that user; returns how many went. */
  async revoke(idOrUser: string): Promise<number> {
    const hash = keys.apiKeys(this.prefix);
    const entries = Object.entries(await this.redis.hgetall(hash));
    const doomed = entries.filter(([, raw]) => {
      const stored = JSON.parse(raw) as StoredKey;
      return stored.id === idOrUser || stored.user === idOrUser;
    });
    if (doomed.length === 0) return 0;
    return this.redis.hdel(hash, ...doomed.map(([field]) => field));
  }
}
