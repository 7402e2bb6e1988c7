// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/getex.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, describe, expect, test, flatDescribe } from "../../shim/bun-test.js";
import { GetExCommand } from "../../shim/commands.js";
import { GetCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

flatDescribe("commands/getex.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

flatDescribe("without options", () => {
  test.concurrent("gets value", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetExCommand([key]).exec(client);
    expect(res2).toEqual(value);
  });
});

flatDescribe("ex", () => {
  test.concurrent("gets value and sets expiry in seconds", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetExCommand([key, { ex: 1 }]).exec(client);
    expect(res2).toEqual(value);
    await new Promise((res) => setTimeout(res, 2000));

    const res3 = await new GetCommand([key]).exec(client);
    expect(res3).toEqual(null);
  });
});

flatDescribe("px", () => {
  test.concurrent("gets value and sets expiry in milliseconds", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetExCommand([key, { px: 1000 }]).exec(client);
    expect(res2).toEqual(value);
    await new Promise((res) => setTimeout(res, 2000));

    const res3 = await new GetCommand([key]).exec(client);

    expect(res3).toEqual(null);
  });
});

flatDescribe("exat", () => {
  test.concurrent("gets value and sets expiry in Unix time (seconds)", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetExCommand([
      key,
      {
        exat: Math.floor(Date.now() / 1000) + 2,
      },
    ]).exec(client);
    expect(res2).toEqual(value);
    await new Promise((res) => setTimeout(res, 3000));

    const res3 = await new GetCommand([key]).exec(client);

    expect(res3).toEqual(null);
  });
});

flatDescribe("pxat", () => {
  test.concurrent("gets value and sets expiry in Unix time (milliseconds)", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetExCommand([key, { pxat: Date.now() + 2000 }]).exec(client);
    expect(res2).toEqual(value);
    await new Promise((res) => setTimeout(res, 3000));

    const res3 = await new GetCommand([key]).exec(client);

    expect(res3).toEqual(null);
  });
});

flatDescribe("persist", () => {
  test.concurrent("gets value and removes expiry", async () => {
    const key = newKey();
    const value = randomID();

    const res = await new SetCommand([key, value, { ex: 1 }]).exec(client);
    expect(res).toEqual("OK");
    const res2 = await new GetExCommand([key, { persist: true }]).exec(client);
    expect(res2).toEqual(value);
    await new Promise((res) => setTimeout(res, 2000));

    const res3 = await new GetCommand([key]).exec(client);

    expect(res3).toEqual(value);
  });
});

});
