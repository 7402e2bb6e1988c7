// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/strlen.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { SetCommand } from "../../shim/commands.js";

import { StrLenCommand } from "../../shim/commands.js";

describe("commands/strlen.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the correct length", async () => {
  const key = newKey();
  const value = "abcd";
  await new SetCommand([key, value]).exec(client);
  const res = await new StrLenCommand([key]).exec(client);
  expect(res).toEqual(value.length);
});

});
