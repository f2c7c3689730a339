import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'fs';
import * as path from 'path';
import type { Logger } from '@koda/platform';

/** Where `npm run build` puts the chat page: `services/gateway/web-dist`, from `src/web` and `dist/web` alike. */
export const WEB_DIST_DIR = path.resolve(__dirname, '..', '..', 'web-dist');

/** The page talks to its own origin only; no inline script or style, so XSS has nowhere to land. */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Serves the chat page at `/` (express static, before the API routes: it only answers for files
 * that exist, so every API path falls through). Hashed assets are cached for good, the page
 * itself is revalidated so a deploy shows at once. Until the page is built, `/` says how to build
 * it; the static handler looks for files at each request, so a page built after the gateway
 * started (`npm start` builds it beside the running services) is served as soon as it exists.
 */
export function serveWeb(app: NestExpressApplication, logger: Logger, dir: string = WEB_DIST_DIR): void {
  app.useStaticAssets(dir, { index: 'index.html', redirect: false, setHeaders: cacheHeaders });
  app.use(notBuiltPage);
  if (existsSync(path.join(dir, 'index.html'))) logger.info({ dir }, 'chat page served at /');
  else logger.warn({ dir }, 'chat page not built yet; until it is, / explains how to build it');
}

function cacheHeaders(res: Response, file: string): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (file.endsWith('.html')) {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    res.setHeader('Referrer-Policy', 'no-referrer');
  } else if (file.includes(`${path.sep}assets${path.sep}`)) {
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  }
}

function notBuiltPage(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'GET' || (req.path !== '/' && req.path !== '/index.html')) return next();
  res.status(503).type('html').send(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>KODA — page non construite</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>La page de chat n'est pas construite</h1>
<p>Le gateway fonctionne (l'API répond sous <code>/api/v1</code>, l'état sous <a href="/health"><code>/health</code></a>),
mais le dossier <code>services/gateway/web-dist</code> est absent.</p>
<p>Construisez-le avec <code>npm run build</code> (ou lancez tout avec <code>npm start</code>), puis rechargez cette page.</p>
</body></html>`);
}
