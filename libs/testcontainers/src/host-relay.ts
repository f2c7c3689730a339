import * as net from 'net';
import * as os from 'os';

export interface HostRelay {
  port: number;
  close(): Promise<void>;
}

/**
 * Containers cannot reach this machine's loopback, where a test's fake endpoint usually
 * listens. This relay listens on the Docker bridge's address (docker0, which `host-gateway`
 * names; every interface when there is none, e.g. a remote engine) and forwards each
 * connection to `target` on loopback.
 */
export async function startHostRelay(targetHost: string, targetPort: number): Promise<HostRelay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(targetPort, targetHost);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, bridgeAddress(), resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function bridgeAddress(): string {
  const docker0 = os.networkInterfaces().docker0?.find((i) => i.family === 'IPv4');
  return docker0?.address ?? '0.0.0.0';
}
