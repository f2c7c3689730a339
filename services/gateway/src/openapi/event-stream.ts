import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiProduces, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { RUN_EVENT_SCHEMA } from './run-event.docs';

/** A `text/event-stream` answer: `id:` + `data:` lines whose JSON is a `RunEvent`, then `data: [DONE]`. */
export function ApiEventStream(status: number, description: string, headers?: Record<string, string>): MethodDecorator {
  return applyDecorators(
    ApiProduces('text/event-stream'),
    ApiResponse({
      status,
      description: `${description} Each event is \`id: <stream id>\` and \`data: <RunEvent JSON>\`; the stream ends with one terminal event (\`complete\` or a fatal \`error\`), then \`data: [DONE]\`. \`: ping\` comments keep it open; a stream the gateway cannot go on serving closes with \`retry: 1000\` and no \`[DONE]\` (resume with \`Last-Event-ID\`).`,
      headers: headers && Object.fromEntries(Object.entries(headers).map(([name, text]) => [name, { description: text, schema: { type: 'string' } }])),
      content: { 'text/event-stream': { schema: { $ref: getSchemaPath(RUN_EVENT_SCHEMA) } } },
    }),
  );
}

/** The header a client resumes with (an `EventSource` sends it by itself on reconnection). */
export const ApiLastEventId = () => ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id (`<ms>-<seq>`).' });
