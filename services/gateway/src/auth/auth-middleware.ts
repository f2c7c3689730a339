import type { NextFunction, Request, Response } from 'express';
import { AuthError, type Authenticator } from './authenticator';
import { errorBody } from '../http/error-body';
import { answerUnavailable } from '../http/unavailable';
import { setUserOf } from './request-user';
import type { StreamTokens } from './stream-tokens';

/** Only a run's events route takes a stream token: `?access_token=` where a header cannot go. */
const EVENTS_ROUTE = /^\/api\/v1\/runs\/([^/]+)\/events$/;

function streamTokenOf(req: Request): { token: string; runId: string } | null {
  const route = EVENTS_ROUTE.exec(req.path);
  const token = req.query.access_token;
  if (req.method !== 'GET' || !route || typeof token !== 'string' || req.headers.authorization) return null;
  return { token, runId: decodeURIComponent(route[1]) };
}

async function streamTokenUser(tokens: StreamTokens, { token, runId }: { token: string; runId: string }): Promise<string> {
  const user = await tokens.userFor(token, runId);
  if (!user) throw new AuthError('invalid_credentials', 'The stream token is unknown, expired or for another run; ask for a new one.');
  return user;
}

/** Only the API needs a user; the page, its assets, health, metrics and the API's description stay public. */
const PROTECTED = /^\/api\/(?!docs(\/|$)|openapi\.json$)/;

/**
 * Resolves the caller for every `/api/` request before any controller runs; a missing or
 * wrong credential answers 401 with a `code` (never a stack trace).
 */
export function authenticate(authenticator: Authenticator, streamTokens: StreamTokens) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!PROTECTED.test(req.path) || req.method === 'OPTIONS') return next();
    const streamToken = streamTokenOf(req);
    const resolving = streamToken ? streamTokenUser(streamTokens, streamToken) : authenticator.userOf(req.headers.authorization);
    resolving.then(
      (user) => {
        setUserOf(req, user);
        next();
      },
      (error: unknown) => {
        if (!(error instanceof AuthError)) return unavailable(res);
        res.setHeader('WWW-Authenticate', `Bearer realm="koda", error="${error.code === 'missing_credentials' ? 'invalid_request' : 'invalid_token'}"`);
        res.status(401).json(errorBody(401, { code: error.code, message: error.message }));
      },
    );
  };
}

/** The key store could not be read (Redis down): the caller may retry, nothing is let in. */
function unavailable(res: Response): void {
  answerUnavailable(res, 'redis_unavailable', 'Credentials cannot be checked right now; retry shortly.');
}
