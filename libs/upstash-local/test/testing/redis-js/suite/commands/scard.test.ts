// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/scard.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { SAddCommand } from "../../shim/commands.js";

import { SCardCommand } from "../../shim/commands.js";

describe("commands/scard.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the cardinality", async () => {
  const key = newKey();
  await new SAddCommand([key, "member1"]).exec(client);
  const res = await new SCardCommand([key]).exec(client);
  expect(res).toEqual(1);
});

});
