// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/persist.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, flatDescribe } from "../../shim/bun-test.js";
import { PersistCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

import { GetCommand } from "../../shim/commands.js";

flatDescribe("commands/persist.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);
test.concurrent("persists the key", async () => {
  const key = newKey();
  const value = randomID();
  await new SetCommand([key, value, { ex: 2 }]).exec(client);
  const res = await new PersistCommand([key]).exec(client);
  expect(res).toEqual(1);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const res2 = await new GetCommand([key]).exec(client);

  expect(res2).toEqual(value);
});

});
