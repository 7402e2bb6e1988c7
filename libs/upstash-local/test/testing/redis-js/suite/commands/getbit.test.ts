// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/getbit.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { SetBitCommand } from "../../shim/commands.js";

import { GetBitCommand } from "../../shim/commands.js";

describe("commands/getbit.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the bit at offset", async () => {
  const key = newKey();

  await new SetBitCommand([key, 0, 1]).exec(client);
  const res = await new GetBitCommand([key, 0]).exec(client);
  expect(res).toEqual(1);
});

});
