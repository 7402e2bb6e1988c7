// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/lrem.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";

import { LPushCommand } from "../../shim/commands.js";
import { LRemCommand } from "../../shim/commands.js";

describe("commands/lrem.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the number of deleted elements", async () => {
  const key = newKey();
  await new LPushCommand([key, "element"]).exec(client);
  await new LPushCommand([key, "element"]).exec(client);
  await new LPushCommand([key, "something else"]).exec(client);

  const res = await new LRemCommand([key, 2, "element"]).exec(client);
  expect(res).toEqual(2);
});

});
