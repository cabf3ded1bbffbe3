import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  FailedAuthenticationLimiter,
  type FailedAuthenticationLimiterSettings,
} from './failed-authentication-limiter.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
/** The pending-increment cap of the limiter (not exported): beyond it, failures are not counted. */
const MAX_PENDING = 1000;

type Increment = ThrottlerStorage['increment'];

const storages: ThrottlerStorageService[] = [];

afterEach(() => {
  jest.restoreAllMocks();
  for (const storage of storages.splice(0)) storage.onApplicationShutdown();
});

/** @nestjs/throttler's in-memory storage, stopped after each test. */
function memoryStorage(): ThrottlerStorageService {
  const storage = new ThrottlerStorageService();
  storages.push(storage);
  return storage;
}

function limiter(
  storage: ThrottlerStorage,
  settings: Partial<FailedAuthenticationLimiterSettings> = {},
): FailedAuthenticationLimiter {
  return new FailedAuthenticationLimiter(storage, {
    limit: 3,
    windowSeconds: 60,
    // A storage error the test did not arrange fails it (as an unhandled rejection of the background count).
    onStorageError: () => {
      throw new Error('unexpected storage error');
    },
    ...settings,
  });
}

/** Lets the background increments run (they start on a microtask and the storage answers on another). */
async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

async function fail(subject: FailedAuthenticationLimiter, address: string, times: number): Promise<void> {
  for (let index = 0; index < times; index += 1) subject.recordFailure(address);
  await settle();
}

/** Freezes Date.now (used by the limiter and the in-memory storage alike) at a value the test moves. */
function frozenClock(start = 1_700_000_000_000) {
  let now = start;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  return {
    get now() {
      return now;
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('FailedAuthenticationLimiter with the in-memory ThrottlerStorageService', () => {
  it('allows `limit` failures and blocks the address on the next one', async () => {
    const subject = limiter(memoryStorage(), { limit: 3 });
    await fail(subject, A, 3);
    expect(subject.retryAfterSeconds(A)).toBe(0);
    expect(subject.idle).toBe(true);
    await fail(subject, A, 1);
    expect(subject.retryAfterSeconds(A)).toBe(60);
    expect(subject.idle).toBe(false);
  });

  it('blocks on the first failure with limit 0', async () => {
    const subject = limiter(memoryStorage(), { limit: 0 });
    await fail(subject, A, 1);
    expect(subject.retryAfterSeconds(A)).toBe(60);
  });

  it('counts in the background: recordFailure returns before the storage answers', async () => {
    const subject = limiter(memoryStorage(), { limit: 0 });
    expect(subject.recordFailure(A)).toBeUndefined();
    expect(subject.retryAfterSeconds(A)).toBe(0);
    expect(subject.idle).toBe(true);
    await settle();
    expect(subject.retryAfterSeconds(A)).toBe(60);
  });

  it('leaves other addresses alone', async () => {
    const subject = limiter(memoryStorage(), { limit: 2 });
    await fail(subject, A, 5);
    await fail(subject, B, 2);
    expect(subject.retryAfterSeconds(A)).toBe(60);
    expect(subject.retryAfterSeconds(B)).toBe(0);
    expect(subject.retryAfterSeconds('10.0.0.10')).toBe(0);
    expect(subject.retryAfterSeconds('')).toBe(0);
  });

  it.each<[string, string]>([
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['toString', 'toString'],
    ['an empty address', ''],
    ['an IPv4-mapped IPv6 address', '::ffff:10.0.0.1'],
    ['a 10 000-character address', 'x'.repeat(10_000)],
    ['an address with CR LF', 'a:b\r\n'],
  ])('keeps an address spelled as %s apart from the others', async (_name, address) => {
    const subject = limiter(memoryStorage(), { limit: 1 });
    await fail(subject, address, 2);
    expect(subject.retryAfterSeconds(address)).toBe(60);
    expect(subject.retryAfterSeconds(A)).toBe(0);
    expect(subject.retryAfterSeconds('hasOwnProperty')).toBe(0);
  });

  it('counts down to 0 over the window, then forgets the address', async () => {
    const clock = frozenClock();
    const subject = limiter(memoryStorage(), { limit: 1, windowSeconds: 60 });
    await fail(subject, A, 2);
    const blockedAt = clock.now;
    expect(subject.idle).toBe(false);
    expect(
      [0, 1, 999, 1000, 30_000, 59_000, 59_001, 59_999].map((ms) => subject.retryAfterSeconds(A, blockedAt + ms)),
    ).toEqual([60, 60, 60, 59, 30, 1, 1, 1]);
    expect(subject.idle).toBe(false);
    expect(subject.retryAfterSeconds(A, blockedAt + 60_000)).toBe(0);
    expect(subject.idle).toBe(true);
    // Forgotten: asking again with an earlier time does not bring the block back.
    expect(subject.retryAfterSeconds(A, blockedAt)).toBe(0);
  });

  it('starts counting anew after the window: one more failure does not block again', async () => {
    const clock = frozenClock();
    const subject = limiter(memoryStorage(), { limit: 1, windowSeconds: 60 });
    await fail(subject, A, 2);
    expect(subject.retryAfterSeconds(A)).toBe(60);
    clock.advance(60_001);
    expect(subject.retryAfterSeconds(A)).toBe(0);
    await fail(subject, A, 1);
    expect(subject.retryAfterSeconds(A)).toBe(0);
    await fail(subject, A, 1);
    expect(subject.retryAfterSeconds(A)).toBe(60);
  });

  it('lifts a block with real time, after a 1-second window', async () => {
    const subject = limiter(memoryStorage(), { limit: 1, windowSeconds: 1 });
    await fail(subject, A, 2);
    expect(subject.retryAfterSeconds(A)).toBe(1);
    await sleep(1100);
    expect(subject.retryAfterSeconds(A)).toBe(0);
    expect(subject.idle).toBe(true);
  });

  it('stays idle while nothing is blocked, even after failures', async () => {
    const subject = limiter(memoryStorage(), { limit: 5 });
    expect(subject.idle).toBe(true);
    await fail(subject, A, 5);
    await fail(subject, B, 5);
    expect(subject.idle).toBe(true);
  });

  it('hands the storage a key of its own, the limit and the window (in ms) as TTL and block duration', async () => {
    const calls: Parameters<Increment>[] = [];
    const storage: ThrottlerStorage = {
      increment: async (...args) => {
        calls.push(args);
        return { totalHits: 1, timeToExpire: 30, isBlocked: false, timeToBlockExpire: 0 };
      },
    };
    const subject = limiter(storage, { limit: 7, windowSeconds: 30 });
    await fail(subject, A, 1);
    expect(calls).toEqual([[`mcp-oauth-auth-failures:${A}`, 30_000, 7, 30_000, 'mcp-oauth-auth-failures']]);
  });

  it.each<[string, { isBlocked: boolean; timeToBlockExpire: number }, number]>([
    ['blocked for 42 s', { isBlocked: true, timeToBlockExpire: 42 }, 42],
    ['blocked, but the block already over', { isBlocked: true, timeToBlockExpire: 0 }, 0],
    ['blocked with a negative time left', { isBlocked: true, timeToBlockExpire: -5 }, 0],
    ['not blocked, with a time left', { isBlocked: false, timeToBlockExpire: 42 }, 0],
  ])('trusts a shared storage that answers %s', async (_name, record, expected) => {
    const storage: ThrottlerStorage = { increment: async () => ({ totalHits: 9, timeToExpire: 60, ...record }) };
    const subject = limiter(storage);
    await fail(subject, A, 1);
    expect(subject.retryAfterSeconds(A)).toBe(expected);
    expect(subject.idle).toBe(expected === 0);
  });
});

describe('FailedAuthenticationLimiter when the storage fails', () => {
  it.each<[string, Increment]>([
    ['rejects', () => Promise.reject(new Error('ECONNREFUSED'))],
    [
      'throws synchronously',
      () => {
        throw new Error('ECONNREFUSED');
      },
    ],
    ['resolves to null instead of a record (a storage of another shape)', async () => null as never],
  ])('fails open when increment %s: nobody is blocked, the error is reported', async (_name, increment) => {
    const errors: unknown[] = [];
    const subject = limiter({ increment }, { limit: 0, onStorageError: (error) => errors.push(error) });
    await fail(subject, A, 5);
    expect(subject.retryAfterSeconds(A)).toBe(0);
    expect(subject.idle).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(Error);
  });

  it('reports at most once per 30 s', async () => {
    const clock = frozenClock();
    const errors: unknown[] = [];
    let attempt = 0;
    const storage: ThrottlerStorage = {
      increment: () => Promise.reject(new Error(`failure ${(attempt += 1)}`)),
    };
    const subject = limiter(storage, { onStorageError: (error) => errors.push(error) });
    await fail(subject, A, 10);
    clock.advance(29_999);
    await fail(subject, B, 10);
    expect(errors.map((error) => (error as Error).message)).toEqual(['failure 1']);
    clock.advance(1);
    await fail(subject, A, 10);
    clock.advance(29_999);
    await fail(subject, A, 10);
    expect(errors.map((error) => (error as Error).message)).toEqual(['failure 1', 'failure 21']);
    clock.advance(1);
    await fail(subject, A, 1);
    expect(errors.map((error) => (error as Error).message)).toEqual(['failure 1', 'failure 21', 'failure 41']);
  });

  it(`keeps at most ${MAX_PENDING} increments in flight when the storage never answers`, async () => {
    let calls = 0;
    const storage: ThrottlerStorage = {
      increment: () => {
        calls += 1;
        return new Promise(() => undefined);
      },
    };
    const subject = limiter(storage);
    await fail(subject, A, MAX_PENDING + 500);
    expect(calls).toBe(MAX_PENDING);
    await fail(subject, B, 100);
    expect(calls).toBe(MAX_PENDING);
    expect(subject.retryAfterSeconds(A)).toBe(0);
    expect(subject.retryAfterSeconds(B)).toBe(0);
  });

  it('counts again once increments in flight have answered', async () => {
    let calls = 0;
    const waiting: Array<() => void> = [];
    const storage: ThrottlerStorage = {
      increment: () => {
        calls += 1;
        return new Promise((resolve) =>
          waiting.push(() => resolve({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 })),
        );
      },
    };
    const subject = limiter(storage);
    await fail(subject, A, MAX_PENDING + 1);
    expect(calls).toBe(MAX_PENDING);
    for (const release of waiting.splice(0)) release();
    await settle();
    await fail(subject, A, 1);
    expect(calls).toBe(MAX_PENDING + 1);
  });
});
