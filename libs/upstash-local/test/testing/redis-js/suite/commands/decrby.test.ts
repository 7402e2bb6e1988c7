// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/decrby.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { SetCommand } from "../../shim/commands.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { DecrByCommand } from "../../shim/commands.js";

describe("commands/decrby.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("decrements a non-existing value", async () => {
  const key = newKey();
  const res = await new DecrByCommand([key, 2]).exec(client);

  expect(res).toEqual(-2);
});

test("decrements and existing value", async () => {
  const key = newKey();
  await new SetCommand([key, 5]).exec(client);
  const res = await new DecrByCommand([key, 2]).exec(client);

  expect(res).toEqual(3);
});

});
