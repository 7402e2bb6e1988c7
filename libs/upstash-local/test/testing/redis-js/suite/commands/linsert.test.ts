// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/linsert.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { LInsertCommand } from "../../shim/commands.js";

import { LPushCommand } from "../../shim/commands.js";
import { LRangeCommand } from "../../shim/commands.js";

describe("commands/linsert.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("adds the element", async () => {
  const key = newKey();
  const value1 = randomID();
  const value2 = randomID();

  await new LPushCommand([key, value1]).exec(client);
  const res = await new LInsertCommand([key, "before", value1, value2]).exec(client);
  expect(res).toEqual(2);

  const list = await new LRangeCommand([key, 0, -1]).exec(client);
  expect(list).toEqual([value2, value1]);
});

});
