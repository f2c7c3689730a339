import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Whether the HTTP client is still connected, tracked from the moment its request arrives.
 * A handler that awaits (starting a run, reading its log) may resume after the client left:
 * a `close` listener attached then would never fire, and whatever the handler registered
 * (relay subscription, heartbeat, watchdog, open-streams gauge) would stay for the life of
 * the process. Knowing it from the first byte, every registration can be undone, or skipped.
 */
export class ClientPresence {
  private gone = false;
  private readonly listeners = new Set<() => void>();

  constructor(res: Response) {
    res.once('close', () => {
      this.gone = true;
      for (const listener of [...this.listeners]) listener();
      this.listeners.clear();
    });
  }

  get isGone(): boolean {
    return this.gone;
  }

  /** Calls `listener` once when the connection closes (at once if it already has). */
  onGone(listener: () => void): () => void {
    if (this.gone) {
      listener();
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const PRESENCE = Symbol('koda.clientPresence');
type Tracked = Response & { [PRESENCE]?: ClientPresence };

/**
 * Express middleware, first in the chain: starts tracking before anything else can await, and
 * counts the requests still being answered (a draining gateway waits for them, not only for
 * its open streams: a stream still being started when the drain began opens later).
 */
@Injectable()
export class RequestsInFlight {
  private current = 0;

  get count(): number {
    return this.current;
  }

  readonly track = (_req: Request, res: Response, next: NextFunction): void => {
    const presence = new ClientPresence(res);
    (res as Tracked)[PRESENCE] = presence;
    this.current += 1;
    presence.onGone(() => (this.current -= 1));
    next();
  };
}

export function presenceOf(res: Response): ClientPresence {
  const tracked = res as Tracked;
  return (tracked[PRESENCE] ??= new ClientPresence(res));
}
