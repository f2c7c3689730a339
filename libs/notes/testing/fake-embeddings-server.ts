import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const DIMENSIONS = 256;

export interface FakeEmbeddingsOptions {
  /** Words embedded as the same meaning ("car", "automobile"): the fake's own "semantics". */
  synonyms?: string[][];
}

/**
 * A local server speaking the OpenAI embeddings API (`POST /v1/embeddings`, as Ollama and hosted
 * providers do), for tests with no model and no network. A text's vector is a bag of its words
 * (lowercased, accents and a final s dropped), each word hashed to a dimension, synonyms sharing
 * one: close texts get close vectors, deterministically.
 */
export class FakeEmbeddingsServer {
  /** Every request: model and inputs. */
  readonly requests: { model: unknown; input: string[] }[] = [];
  /** When true, answers 503 (an endpoint that is down). */
  down = false;
  private server: Server | undefined;
  private readonly canonical = new Map<string, string>();

  constructor(options: FakeEmbeddingsOptions = {}) {
    for (const group of options.synonyms ?? []) for (const word of group) this.canonical.set(normalize(word), normalize(group[0]));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (p: Buffer) => parts.push(p));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/embeddings') return void res.writeHead(404).end();
        if (this.down) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"model loading"}}');
        const body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as { model?: unknown; input?: string | string[] };
        const input = Array.isArray(body.input) ? body.input : [String(body.input ?? '')];
        this.requests.push({ model: body.model, input });
        const data = input.map((text, index) => ({ object: 'embedding', index, embedding: this.embed(text) }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: body.model }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  embed(text: string): number[] {
    const vector = new Array<number>(DIMENSIONS).fill(0);
    for (const raw of text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2)) {
      const word = normalize(raw);
      const key = this.canonical.get(word) ?? word;
      vector[createHash('md5').update(key).digest().readUInt32BE(0) % DIMENSIONS] += 1;
    }
    return vector;
  }
}

function normalize(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/s$/, '');
}
