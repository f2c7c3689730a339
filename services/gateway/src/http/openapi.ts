import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ApiErrorBody } from '../openapi/api-error';
import { RUN_EVENT_DOCS, RUN_EVENT_SCHEMA, runEventUnion } from '../openapi/run-event.docs';

export const OPENAPI_JSON_PATH = 'api/openapi.json';
export const OPENAPI_UI_PATH = 'api/docs';

/**
 * The HTTP API as the running app routes it: paths, parameters, bodies, answers and refusals
 * (one `ApiErrorBody`), the SSE events (`RunEvent`, one schema per type), bearer auth on `/api/`.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('KODA')
    .setDescription('Streaming multi-agent chat over SSE. See README: HTTP API, Security.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (KODA_AUTH=apikey) or a JWT (KODA_AUTH=jwt)' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ApiErrorBody, ...Object.values(RUN_EVENT_DOCS)] });
  document.components!.schemas![RUN_EVENT_SCHEMA] = runEventUnion();
  // Probes, metrics and the page need no credential: say so on each (the global requirement is the API's).
  for (const [route, operations] of Object.entries(document.paths)) {
    if (route.startsWith('/api/')) continue;
    for (const operation of Object.values(operations as Record<string, unknown>))
      if (operation && typeof operation === 'object' && 'responses' in operation) (operation as { security?: unknown[] }).security = [];
  }
  return document;
}

/** Serves the document at `/api/openapi.json` and a browsable page at `/api/docs` (both public). */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => openApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH });
}
