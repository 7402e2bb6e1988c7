// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hvals.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";

import { HSetCommand } from "../../shim/commands.js";
import { HValsCommand } from "../../shim/commands.js";

describe("commands/hvals.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns correct length", async () => {
  const key = newKey();
  const field = randomID();
  const value = randomID();

  const res = await new HValsCommand([key]).exec(client);
  expect(res).toEqual([]);
  await new HSetCommand([key, { [field]: value }]).exec(client);

  const res2 = await new HValsCommand([key]).exec(client);

  expect(res2).toEqual([value]);
});

});
