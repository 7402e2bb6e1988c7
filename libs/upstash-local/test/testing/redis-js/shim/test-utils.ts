import { HttpClient } from './internals.js';

/** Where the suite's server listens; set by the setup once upstash-local is up. */
export const target = { url: '', token: '' };

/** The helpers of the client's `pkg/test-utils.ts`. */
export function randomID(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCodePoint(...bytes));
}

export const randomUnsafeIntegerString = (): string => {
  const buffer = new Uint8Array(8);
  crypto.getRandomValues(buffer);
  return new DataView(buffer.buffer).getBigInt64(0, true).toString();
};

/**
 * The client's `HttpClient` at the suite's server, as `newHttpClient()` of the client's tests builds it. The tests
 * call it at import time, before the server is up: the client is built on first use.
 */
export function newHttpClient(): object {
  let real: object | undefined;
  const get = (): object => (real ??= new HttpClient({ baseUrl: target.url, headers: { authorization: `Bearer ${target.token}` } }));
  return new Proxy(
    {},
    {
      get: (_t, prop) => {
        const value = Reflect.get(get(), prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(get()) : value;
      },
      set: (_t, prop, value) => Reflect.set(get(), prop, value),
      has: (_t, prop) => Reflect.has(get(), prop),
    },
  );
}

interface Executable {
  exec(client: object): Promise<unknown>;
}

export function keygen(): { newKey: () => string; cleanup: () => Promise<void> } {
  const keys: string[] = [];
  return {
    newKey: () => {
      const key = randomID();
      keys.push(key);
      return key;
    },
    cleanup: async () => {
      if (keys.length === 0) return;
      const { DelCommand } = await import('./commands.js');
      // NOTE: as the client's helper: every key made so far, each time (tests reuse keys made in a describe block).
      await (new DelCommand(keys) as Executable).exec(newHttpClient());
    },
  };
}

export async function addNewItemToStream(streamKey: string, client: object): Promise<{ member1: string; member2: string; streamId: string }> {
  const { XAddCommand } = await import('./commands.js');
  const member1 = randomID();
  const member2 = randomID();
  const streamId = (await (new XAddCommand([streamKey, '*', { field1: member1, field2: member2 }]) as Executable).exec(client)) as string;
  return { member1, member2, streamId };
}
