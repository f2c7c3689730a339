import { createRedis, loadConfigOrExit, redisTarget } from '@koda/platform';
import { ApiKeyStore } from './api-key-store';

const USAGE = 'usage: npm run keys -- create <user> | list | revoke <key-id|user>\n';
const USER = /^[A-Za-z0-9_.@-]{1,64}$/;

/** `npm run keys`: API keys managed at run time, in the Redis of `REDIS_URL` under `KODA_PREFIX`. */
async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  const config = loadConfigOrExit();
  const redis = createRedis(redisTarget(config), `${config.KODA_PREFIX}:keys-cli`, { maxRetriesPerRequest: 1, lazyConnect: true });
  const store = new ApiKeyStore(redis, config.KODA_PREFIX);
  try {
    await redis.connect();
    if (command === 'create' && arg && USER.test(arg)) {
      const { key, stored } = await store.create(arg);
      process.stdout.write(`${key}\n`);
      process.stderr.write(`key ${stored.id} created for ${stored.user}; it is shown once and stored only as a hash.\n`);
      return 0;
    }
    if (command === 'list') {
      for (const k of await store.list()) process.stdout.write(`${k.id}\t${k.user}\t${k.created_at}\n`);
      return 0;
    }
    if (command === 'revoke' && arg) {
      const revoked = await store.revoke(arg);
      process.stdout.write(`${revoked} key(s) revoked\n`);
      return revoked > 0 ? 0 : 1;
    }
    process.stderr.write(USAGE);
    return 64;
  } finally {
    redis.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`keys: ${error.message}\n`);
    process.exit(1);
  },
);
