// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/psetex.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, flatDescribe } from "../../shim/bun-test.js";

import { GetCommand } from "../../shim/commands.js";
import { PSetEXCommand } from "../../shim/commands.js";

flatDescribe("commands/psetex.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test.concurrent("sets value", async () => {
  const key = newKey();
  const value = randomID();

  const res = await new PSetEXCommand([key, 1000, value]).exec(client);

  expect(res).toEqual("OK");
  await new Promise((res) => setTimeout(res, 2000));
  const res2 = await new GetCommand([key]).exec(client);

  expect(res2).toEqual(null);
});

});
