// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/lrange.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { LRangeCommand } from "../../shim/commands.js";
import { RPushCommand } from "../../shim/commands.js";

describe("commands/lrange.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the correct range", async () => {
  const key = newKey();
  const value1 = randomID();
  const value2 = randomID();
  const value3 = randomID();
  await new RPushCommand([key, value1, value2, value3]).exec(client);
  const res = await new LRangeCommand([key, 1, 2]).exec(client);
  expect(res.length).toBe(2);
  expect(res[0]).toBe(value2);
  expect(res[1]).toBe(value3);
});

});
