import { describe, expect, it } from 'vitest';
import { queuesFromEnv, secretsFromEnv } from './engine.js';

describe('engine configuration from the environment', () => {
  it('reads queue limits and refuses malformed ones with the path of the mistake', () => {
    expect(
      queuesFromEnv({
        AIRLOCK_QUEUES:
          '{"registry:docker.io": {"concurrency": 4, "rateLimit": {"limit": 100, "periodSeconds": 21600}}}',
      }),
    ).toEqual({ 'registry:docker.io': { concurrency: 4, rateLimit: { limit: 100, periodSeconds: 21600 } } });
    expect(queuesFromEnv({})).toEqual({});
    expect(() => queuesFromEnv({ AIRLOCK_QUEUES: '{oops' })).toThrow(/AIRLOCK_QUEUES is not JSON/);
    expect(() => queuesFromEnv({ AIRLOCK_QUEUES: '{"registry:x": {"concurrency": "4"}}' })).toThrow(
      /AIRLOCK_QUEUES\["registry:x"\]\["concurrency"\]: .*expected number/,
    );
    expect(() => queuesFromEnv({ AIRLOCK_QUEUES: '{"registry:x": {"concurency": 4}}' })).toThrow(
      /concurency/,
    );
  });

  it('reads secrets from AIRLOCK_SECRET_* with lower-cased names', () => {
    expect(secretsFromEnv({ AIRLOCK_SECRET_HUB_TOKEN: 'abc', OTHER: 'x' })).toEqual({ hub_token: 'abc' });
  });
});
