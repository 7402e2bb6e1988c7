// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/incrbyfloat.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { SetCommand } from "../../shim/commands.js";

import { IncrByFloatCommand } from "../../shim/commands.js";

describe("commands/incrbyfloat.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("increments a non-existing value", async () => {
  const key = newKey();
  const res = await new IncrByFloatCommand([key, 2.5]).exec(client);

  expect(res).toEqual(2.5);
});

test("increments and existing value", async () => {
  const key = newKey();
  await new SetCommand([key, 5]).exec(client);
  const res = await new IncrByFloatCommand([key, 2.5]).exec(client);

  expect(res).toEqual(7.5);
});

});
