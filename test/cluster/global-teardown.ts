import type { LocalCluster } from '../../libs/platform/testing/local-cluster';

export default async function globalTeardown(): Promise<void> {
  (globalThis as { __kodaCluster?: LocalCluster }).__kodaCluster?.stop();
}
