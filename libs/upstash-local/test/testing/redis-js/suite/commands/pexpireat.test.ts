// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/pexpireat.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";
import { GetCommand } from "../../shim/commands.js";
import { PExpireAtCommand } from "../../shim/commands.js";

import { afterAll, expect, test, describe, flatDescribe } from "../../shim/bun-test.js";
import { SetCommand } from "../../shim/commands.js";

flatDescribe("commands/pexpireat.test.ts", () => {


const client = newHttpClient();
const { newKey, cleanup } = keygen();
afterAll(cleanup);

flatDescribe("without options", () => {
  test.concurrent("expires the key", async () => {
    const key = newKey();
    const value = randomID();
    await new SetCommand([key, value]).exec(client);
  });
});
flatDescribe("without options", () => {
  test.concurrent("expires the key", async () => {
    const key = newKey();
    const value = randomID();
    await new SetCommand([key, value]).exec(client);

    const res = await new PExpireAtCommand([key, 1000]).exec(client);
    expect(res).toEqual(1);
    await new Promise((res) => setTimeout(res, 2000));
    const res2 = await new GetCommand([key]).exec(client);
    expect(res2).toEqual(null);
  });
});
test.concurrent("doesn't set the expiration if the second pexpire command timestamp is smaller", async () => {
  const key = newKey();
  const value = randomID();
  await new SetCommand([key, value]).exec(client);

  const expireAtMillisecond = Date.now() + 60_000;

  const res = await new PExpireAtCommand([key, expireAtMillisecond]).exec(client);
  expect(res).toEqual(1);

  const res2 = await new PExpireAtCommand([key, expireAtMillisecond - 1000, "GT"]).exec(client);
  expect(res2).toEqual(0);
});

});
