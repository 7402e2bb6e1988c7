// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/set.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe, flatDescribe } from "../../shim/bun-test.js";
import { GetCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

flatDescribe("commands/set.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);
flatDescribe("without options", () => {
  test.concurrent("sets value", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetCommand([key]).exec(client);
    expect(res2).toEqual(value);
  });
});
flatDescribe("ex", () => {
  test.concurrent("sets value", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value, { ex: 1 }]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetCommand([key]).exec(client);
    expect(res2).toEqual(value);
    await new Promise((res) => setTimeout(res, 2000));

    const res3 = await new GetCommand([key]).exec(client);
    expect(res3).toEqual(null);
  });
});
flatDescribe("px", () => {
  test.concurrent("sets value", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value, { px: 1000 }]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetCommand([key]).exec(client);
    expect(res2).toEqual(value);
    await new Promise((res) => setTimeout(res, 2000));

    const res3 = await new GetCommand([key]).exec(client);

    expect(res3).toEqual(null);
  });
});

flatDescribe("exat", () => {
  test.concurrent("sets value", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([
      key,
      value,
      {
        exat: Math.floor(Date.now() / 1000) + 2,
      },
    ]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetCommand([key]).exec(client);
    expect(res2).toEqual(value);
    await new Promise((res) => setTimeout(res, 3000));

    const res3 = await new GetCommand([key]).exec(client);

    expect(res3).toEqual(null);
  });
});

flatDescribe("pxat", () => {
  test.concurrent("sets value", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value, { pxat: Date.now() + 1000 }]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetCommand([key]).exec(client);
    expect(res2).toEqual(value);
    await new Promise((res) => setTimeout(res, 2000));

    const res3 = await new GetCommand([key]).exec(client);

    expect(res3).toEqual(null);
  });
});

flatDescribe("get", () => {
  test.concurrent("gets the old value", async () => {
    const key = newKey();
    const old = randomID();
    const value = randomID();
    await new SetCommand([key, old]).exec(client);

    const res = await new SetCommand([key, value, { get: true }]).exec(client);
    expect(res).toEqual(old);
  });
});

flatDescribe("get with xx", () => {
  test.concurrent("gets the old value", async () => {
    const key = newKey();
    const old = randomID();
    const value = randomID();
    await new SetCommand([key, old]).exec(client);

    const res = await new SetCommand([key, value, { get: true, xx: true }]).exec(client);
    expect(res).toEqual(old);
  });
});
flatDescribe("nx", () => {
  flatDescribe("when key exists", () => {
    test.concurrent("does nothing", async () => {
      const key = newKey();
      const value = randomID();
      const newValue = randomID();

      await new SetCommand([key, value]).exec(client);
      const res = await new SetCommand([key, newValue, { nx: true }]).exec(client);
      expect(res).toEqual(null);
      const res2 = await new GetCommand([key]).exec(client);
      expect(res2).toEqual(value);
    });
  });
  flatDescribe("when key does not exists", () => {
    test.concurrent("overwrites key", async () => {
      const key = newKey();
      const value = randomID();

      const res = await new SetCommand([key, value, { nx: true }]).exec(client);
      expect(res).toEqual("OK");
      const res2 = await new GetCommand([key]).exec(client);
      expect(res2).toEqual(value);
    });
  });
});
flatDescribe("xx", () => {
  flatDescribe("when key exists", () => {
    test.concurrent("overwrites key", async () => {
      const key = newKey();
      const value = randomID();
      const newValue = randomID();

      await new SetCommand([key, value]).exec(client);
      const res = await new SetCommand([key, newValue, { xx: true }]).exec(client);
      expect(res).toEqual("OK");
      const res2 = await new GetCommand([key]).exec(client);
      expect(res2).toEqual(newValue);
    });
  });
  flatDescribe("when key does not exists", () => {
    test.concurrent("does nothing", async () => {
      const key = newKey();
      const value = randomID();

      const res = await new SetCommand([key, value, { xx: true }]).exec(client);
      expect(res).toEqual(null);
      const res2 = await new GetCommand([key]).exec(client);
      expect(res2).toEqual(null);
    });
  });
});

});
