// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hset.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { HGetCommand } from "../../shim/commands.js";
import { HSetCommand } from "../../shim/commands.js";

describe("commands/hset.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);
test("sets value", async () => {
  const key = newKey();
  const field = randomID();
  const value = randomID();

  const res = await new HSetCommand([key, { [field]: value }]).exec(client);

  expect(res).toEqual(1);
  const res2 = await new HGetCommand([key, field]).exec(client);

  expect(res2).toEqual(value);
});

});
