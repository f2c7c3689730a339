import { LIMITS } from '@koda/contracts';

export class JsonShapeError extends Error {
  readonly status = 400;
  readonly type = 'entity.shape.refused';
}

/**
 * Refuses, before parsing, JSON nested deeper than `LIMITS.jsonMaxDepth` or with more than
 * `LIMITS.jsonMaxKeys` object keys in all: one linear scan, outside strings only. Deep
 * nesting would otherwise reach the parser's and the validator's recursion (a 500, or worse).
 */
export function checkJsonShape(body: Buffer): void {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
      continue;
    }
    if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > LIMITS.jsonMaxDepth) throw new JsonShapeError(`nested deeper than ${LIMITS.jsonMaxDepth} levels`);
    } else if (byte === 0x7d || byte === 0x5d) depth--;
    else if (byte === 0x3a && ++keys > LIMITS.jsonMaxKeys) throw new JsonShapeError(`more than ${LIMITS.jsonMaxKeys} keys`);
  }
}
