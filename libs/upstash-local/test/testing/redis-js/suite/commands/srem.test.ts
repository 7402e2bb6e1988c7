// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/srem.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";
import { SRemCommand } from "../../shim/commands.js";

describe("commands/srem.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the number of removed members", async () => {
  const key = newKey();
  const value1 = randomID();
  const value2 = randomID();
  await new SAddCommand([key, value1, value2]).exec(client);
  const res = await new SRemCommand([key, value1]).exec(client);
  expect(res).toEqual(1);
});

});
