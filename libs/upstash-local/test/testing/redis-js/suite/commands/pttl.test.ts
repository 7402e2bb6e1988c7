// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/pttl.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { PTtlCommand } from "../../shim/commands.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SetExCommand } from "../../shim/commands.js";

describe("commands/pttl.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the ttl on a key", async () => {
  const key = newKey();
  const ttl = 60;
  await new SetExCommand([key, ttl, "value"]).exec(client);
  const res = await new PTtlCommand([key]).exec(client);
  expect(res <= ttl * 1000).toBe(true);
});

});
