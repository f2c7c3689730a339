import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'crypto';
import type Redis from 'ioredis';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LOCAL_USER } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';
import { ApiKeyStore, hashKey } from './api-key-store';

export type AuthFailure = 'missing_credentials' | 'invalid_credentials' | 'token_expired';

export class AuthError extends Error {
  constructor(
    readonly code: AuthFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Turns a request's `Authorization` header into the user it speaks for, per `KODA_AUTH`. */
@Injectable()
export class Authenticator {
  readonly store: ApiKeyStore;
  /** Static keys by their sha256, so a comparison never depends on where the keys differ. */
  private readonly staticKeys = new Map<string, string>();
  private readonly jwtKey: Uint8Array | JWTVerifyGetKey | null;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) redis: Redis,
  ) {
    this.store = new ApiKeyStore(redis, config.KODA_PREFIX);
    for (const pair of (config.KODA_API_KEYS ?? '').split(',').filter((p) => p.trim())) {
      const [user, key] = pair.trim().split(':');
      this.staticKeys.set(hashKey(key), user);
    }
    this.jwtKey = config.KODA_JWT_JWKS_URL
      ? createRemoteJWKSet(new URL(config.KODA_JWT_JWKS_URL))
      : config.KODA_JWT_SECRET
        ? new TextEncoder().encode(config.KODA_JWT_SECRET)
        : null;
  }

  get mode(): string {
    return this.config.KODA_AUTH;
  }

  async userOf(authorization: string | undefined): Promise<string> {
    if (this.config.KODA_AUTH === 'none') return LOCAL_USER;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new AuthError('missing_credentials', 'This API needs a bearer credential: send the header "Authorization: Bearer <key>".');
    return this.config.KODA_AUTH === 'jwt' ? this.jwtUser(token) : this.keyUser(token);
  }

  private async keyUser(key: string): Promise<string> {
    const hash = hashKey(key);
    for (const [known, user] of this.staticKeys) if (timingSafeEqual(Buffer.from(known), Buffer.from(hash))) return user;
    const user = await this.store.userOf(key);
    if (!user) throw new AuthError('invalid_credentials', 'The API key is unknown or revoked.');
    return user;
  }

  private async jwtUser(token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.jwtKey as Uint8Array, {
        issuer: this.config.KODA_JWT_ISSUER,
        audience: this.config.KODA_JWT_AUDIENCE,
        algorithms: this.config.KODA_JWT_JWKS_URL ? undefined : ['HS256'],
      });
      if (typeof payload.sub !== 'string' || !payload.sub) throw new AuthError('invalid_credentials', 'The token has no subject (`sub`).');
      return payload.sub;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw new AuthError('token_expired', 'The token has expired.');
      throw new AuthError('invalid_credentials', `The token was refused (${code ?? 'invalid'}).`);
    }
  }
}
