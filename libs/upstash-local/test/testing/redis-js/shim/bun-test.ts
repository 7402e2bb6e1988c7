import { afterAll, afterEach, beforeAll, beforeEach, describe, expect as jestExpect, jest, test as jestTest } from '@jest/globals';

type TestFn = (done?: never) => unknown;
type TestOptions = number | { timeout?: number; retry?: number };

const timeoutOf = (options?: TestOptions) => (typeof options === 'number' ? options : options?.timeout);

/** Names of the flattened describe blocks around the tests being registered (see {@link flatDescribe}). */
const prefix: string[] = [];

/**
 * A describe block that registers its tests in the enclosing block, its name kept as a prefix of theirs: Jest runs
 * `test.concurrent` tests together only when they are children of one block.
 */
function flatDescribe(name: string, body: () => void): void {
  prefix.push(name);
  try {
    body();
  } finally {
    prefix.pop();
  }
}

const titled = (name: string) => [...prefix, name].join(' › ');

/** bun:test's `test(name, fn, timeout | { timeout })` on Jest. */
const test = Object.assign((name: string, fn: TestFn, options?: TestOptions) => jestTest(name, fn as never, timeoutOf(options)), {
  skip: (name: string, fn: TestFn, options?: TestOptions) => jestTest.skip(name, fn as never, timeoutOf(options)),
  only: (name: string, fn: TestFn, options?: TestOptions) => jestTest.only(name, fn as never, timeoutOf(options)),
  todo: (name: string) => jestTest.todo(name),
  concurrent: (name: string, fn: TestFn, options?: TestOptions) => jestTest.concurrent(titled(name), fn as never, timeoutOf(options)),
});

/**
 * Assertions on async functions that a test does not await: bun's `expect(async () => …).toThrow()` waits for the
 * promise; under Jest the setup awaits them after each test ({@link settleAsyncAssertions}).
 */
const pending: Promise<unknown>[] = [];

export async function settleAsyncAssertions(): Promise<void> {
  const all = pending.splice(0);
  await Promise.all(all);
}

const THROW_MATCHERS = new Set(['toThrow', 'toThrowError']);

function withAsyncThrow<T extends object>(matchers: T, actual: unknown, negated: boolean): T {
  return new Proxy(matchers, {
    get: (target, prop, receiver) => {
      if (prop === 'not') return withAsyncThrow(Reflect.get(target, prop, receiver) as object, actual, !negated);
      if (typeof prop !== 'string' || !THROW_MATCHERS.has(prop) || typeof actual !== 'function') return Reflect.get(target, prop, receiver);
      return (...args: unknown[]) => {
        let result: unknown;
        let error: unknown;
        let threw = false;
        try {
          result = (actual as () => unknown)();
        } catch (e) {
          threw = true;
          error = e;
        }
        if (!threw && result instanceof Promise) {
          const settle = jestExpect(result);
          pending.push(negated ? settle.resolves.not.toThrow() : (settle.rejects.toThrow as (...a: unknown[]) => Promise<void>)(...args));
          return undefined;
        }
        const replay = () => {
          if (threw) throw error;
          return result;
        };
        const m = negated ? jestExpect(replay).not : jestExpect(replay);
        return (m.toThrow as (...a: unknown[]) => void)(...args);
      };
    },
  });
}

/** Jest's `expect`, with bun's handling of async functions in `toThrow`. */
const expect = Object.assign((actual: unknown) => withAsyncThrow(jestExpect(actual), actual, false), jestExpect) as unknown as typeof jestExpect;

jestExpect.extend({
  toBeTrue(received: unknown) {
    return { pass: received === true, message: () => `expected ${String(received)} to be true` };
  },
  toBeFalse(received: unknown) {
    return { pass: received === false, message: () => `expected ${String(received)} to be false` };
  },
});

const mock = jest.fn;
const it = test;

export { afterAll, afterEach, beforeAll, beforeEach, describe, expect, flatDescribe, it, mock, test };
