import Redis, { Cluster } from 'ioredis';

/** A node of the test cluster, as `CLUSTER NODES` says. */
export interface ClusterNode {
  id: string;
  address: string;
  port: number;
  master: boolean;
  /** The master's id, for a replica. */
  masterId: string | null;
}

/** Direct connections to the test cluster's nodes, for assertions and for failovers. */
export class ClusterAdmin {
  constructor(readonly seeds: string) {}

  private connect(port: number): Redis {
    return new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, lazyConnect: false });
  }

  async on<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = this.connect(port);
    try {
      return await use(redis);
    } finally {
      redis.disconnect();
    }
  }

  async nodes(): Promise<ClusterNode[]> {
    const port = Number(this.seeds.split(',')[0].split(':')[1]);
    const text = (await this.on(port, (r) => r.cluster('NODES'))) as string;
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const [id, address, flags, masterId] = line.split(' ');
        const hostPort = address.split('@')[0];
        return { id, address: hostPort, port: Number(hostPort.split(':')[1]), master: flags.includes('master'), masterId: masterId === '-' ? null : masterId };
      });
  }

  /** The master serving the slot of `key`, as the cluster says now. */
  async masterOf(key: string): Promise<ClusterNode> {
    const port = Number(this.seeds.split(',')[0].split(':')[1]);
    const slot = await this.on(port, (r) => r.cluster('KEYSLOT', key));
    const slots = (await this.on(port, (r) => r.cluster('SLOTS'))) as unknown as [number, number, [string, number, string]][];
    const range = slots.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`no master serves slot ${slot}`);
    return (await this.nodes()).find((n) => n.port === range[2][1])!;
  }

  /** Clients whose name starts with `namePrefix`, summed over every node of the cluster. */
  async clientsNamed(namePrefix: string): Promise<number> {
    let count = 0;
    for (const node of await this.nodes()) {
      const list = (await this.on(node.port, (r) => r.client('LIST'))) as string;
      count += list.split('\n').filter((line) => line.includes(` name=${namePrefix}`)).length;
    }
    return count;
  }

  /** Makes a replica of `master` take over (`CLUSTER FAILOVER` on the replica); waits until it is master. */
  async failOver(master: ClusterNode): Promise<ClusterNode> {
    const replica = (await this.nodes()).find((n) => n.masterId === master.id);
    if (!replica) throw new Error(`master ${master.address} has no replica`);
    await this.on(replica.port, (r) => r.cluster('FAILOVER'));
    for (let i = 0; i < 100; i++) {
      if ((await this.nodes()).find((n) => n.id === replica.id)?.master) return replica;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the failover did not complete in 10 s');
  }
}

export const isCluster = (redis: Redis): boolean => redis instanceof Cluster;
