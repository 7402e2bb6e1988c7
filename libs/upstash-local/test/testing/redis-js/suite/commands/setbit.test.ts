// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/setbit.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SetBitCommand } from "../../shim/commands.js";

describe("commands/setbit.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the original bit", async () => {
  const key = newKey();
  const res = await new SetBitCommand([key, 0, 1]).exec(client);
  expect(res).toEqual(0);
  const res2 = await new SetBitCommand([key, 0, 1]).exec(client);

  expect(res2).toEqual(1);
});

});
