import 'reflect-metadata';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { createLogger } from '@koda/platform';
import { serveWeb } from './serve-web';

@Controller('api/v1')
class PingController {
  @Get('ping')
  ping() {
    return { pong: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

/** A bare Nest app with the page served from `dir`, on a free port. */
async function appServing(dir: string): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create<NestExpressApplication>(PingModule, { logger: false });
  serveWeb(app, createLogger('test-web', 'silent'), dir);
  await app.listen(0);
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

describe('serveWeb', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'koda-web-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the built page at /, its hashed assets for good, and lets the API through', async () => {
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>KODA</title>');
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'export {}');
    const { app, url } = await appServing(dir);
    try {
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>KODA</title>');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const asset = await fetch(`${url}/assets/index-abc123.js`);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect(await (await fetch(`${url}/api/v1/ping`)).json()).toEqual({ pong: true });
    } finally {
      await app.close();
    }
  });

  it('explains how to build the page when it was not built', async () => {
    const { app, url } = await appServing(path.join(dir, 'missing'));
    try {
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('npm run build');
      expect(await (await fetch(`${url}/api/v1/ping`)).json()).toEqual({ pong: true });
    } finally {
      await app.close();
    }
  });
});
