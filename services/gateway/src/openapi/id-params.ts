import { ApiParam } from '@nestjs/swagger';
import { ID_PATTERN } from '@koda/contracts';

/** A path id as `idParam` checks it: 1 to 128 of letters, digits and `_ . : -` (else 400). */
const idParamDoc = (name: string, description: string) =>
  ApiParam({ name, description, schema: { type: 'string', pattern: ID_PATTERN.source, minLength: 1, maxLength: 128 } });

export const ApiRunId = () => idParamDoc('run_id', 'The run (`X-Run-Id`, or the `run_id` of its events).');
export const ApiSessionId = () => idParamDoc('session_id', 'One of the caller’s sessions.');
export const ApiNoteId = () => idParamDoc('id', 'One of the caller’s notes.');
