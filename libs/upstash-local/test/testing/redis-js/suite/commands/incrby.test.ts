// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/incrby.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { IncrByCommand } from "../../shim/commands.js";

import { SetCommand } from "../../shim/commands.js";

describe("commands/incrby.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("increments a non-existing value", async () => {
  const key = newKey();
  const res = await new IncrByCommand([key, 2]).exec(client);

  expect(res).toEqual(2);
});

test("increments and existing value", async () => {
  const key = newKey();
  await new SetCommand([key, 5]).exec(client);
  const res = await new IncrByCommand([key, 2]).exec(client);

  expect(res).toEqual(7);
});

});
