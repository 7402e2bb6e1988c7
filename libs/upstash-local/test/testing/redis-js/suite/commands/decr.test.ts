// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/decr.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { DecrCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/decr.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);
test("decrements a non-existing value", async () => {
  const key = newKey();
  const res = await new DecrCommand([key]).exec(client);

  expect(res).toEqual(-1);
});

test("decrements and existing value", async () => {
  const key = newKey();
  await new SetCommand([key, 4]).exec(client);
  const res = await new DecrCommand([key]).exec(client);

  expect(res).toEqual(3);
});

});
