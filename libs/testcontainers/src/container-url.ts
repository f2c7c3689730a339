/** The name containers use for the Docker host (mapped to `host-gateway` when each container starts). */
export const DOCKER_HOST_ALIAS = 'host.docker.internal';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK.has(new URL(url).hostname);
}

/** `url` as a container sees it: the loopback host replaced by the Docker host at `port`. */
export function containerUrl(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = DOCKER_HOST_ALIAS;
  parsed.port = String(port);
  return parsed.toString().replace(/\/$/, '');
}

/** The port a URL talks to, its scheme's default when none is written. */
export function portOf(url: string): number {
  const parsed = new URL(url);
  if (parsed.port) return Number(parsed.port);
  return parsed.protocol === 'https:' ? 443 : 80;
}
