import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { LOCAL_USER } from '@koda/contracts';

const USER = Symbol('koda.user');

export function setUserOf(req: Request, user: string): void {
  (req as unknown as Record<symbol, string>)[USER] = user;
}

/** The authenticated caller (set by the auth middleware; the local user when nothing set it). */
export function userOf(req: Request): string {
  return (req as unknown as Record<symbol, string | undefined>)[USER] ?? LOCAL_USER;
}

/** Controller parameter: the user the request speaks for. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext) => userOf(ctx.switchToHttp().getRequest<Request>()));
