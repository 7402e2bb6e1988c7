// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/expireat.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, describe, expect, test, flatDescribe } from "../../shim/bun-test.js";
import { SetCommand } from "../../shim/commands.js";

import { ExpireAtCommand } from "../../shim/commands.js";
import { GetCommand } from "../../shim/commands.js";

flatDescribe("commands/expireat.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

flatDescribe("without options", () => {
  test.concurrent("expires the key", async () => {
    const key = newKey();
    const value = randomID();
    await new SetCommand([key, value]).exec(client);

    const res = await new ExpireAtCommand([key, 1]).exec(client);
    expect(res).toEqual(1);
    await new Promise((res) => setTimeout(res, 2000));
    const res2 = await new GetCommand([key]).exec(client);
    expect(res2).toEqual(null);
  });
});
test.concurrent("with NX option", async () => {
  const key = newKey();
  const value = randomID();
  await new SetCommand([key, value]).exec(client);

  const currentTime = Math.floor(Date.now() / 1000);

  const res = await new ExpireAtCommand([key, currentTime + 1, "NX"]).exec(client);
  expect(res).toEqual(1);

  const res2 = await new ExpireAtCommand([key, currentTime + 2, "NX"]).exec(client);
  expect(res2).toEqual(0);
});

test.concurrent("with XX option", async () => {
  const key = newKey();
  const value = randomID();
  await new SetCommand([key, value]).exec(client);

  const currentTime = Math.floor(Date.now() / 1000);

  const res = await new ExpireAtCommand([key, currentTime + 10, "XX"]).exec(client);
  expect(res).toEqual(0);

  const res2 = await new ExpireAtCommand([key, currentTime + 10]).exec(client);
  expect(res2).toEqual(1);

  const res3 = await new ExpireAtCommand([key, currentTime + 20, "XX"]).exec(client);
  expect(res3).toEqual(1);
});

});
