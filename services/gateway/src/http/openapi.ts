import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = 'api/openapi.json';
export const OPENAPI_UI_PATH = 'api/docs';

/** The HTTP API as the running app routes it (paths, methods, parameters), with bearer auth. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('KODA')
    .setDescription('Streaming multi-agent chat over SSE. See README: HTTP API, Security.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (KODA_AUTH=apikey) or a JWT (KODA_AUTH=jwt)' })
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the document at `/api/openapi.json` and a browsable page at `/api/docs` (both public). */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => openApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH });
}
