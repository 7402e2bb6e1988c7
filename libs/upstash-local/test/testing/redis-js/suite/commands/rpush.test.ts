// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/rpush.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { RPushCommand } from "../../shim/commands.js";

describe("commands/rpush.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the length after command", async () => {
  const key = newKey();
  const res = await new RPushCommand([key, randomID()]).exec(client);
  expect(res).toEqual(1);
  const res2 = await new RPushCommand([key, randomID(), randomID()]).exec(client);

  expect(res2).toEqual(3);
});

});
