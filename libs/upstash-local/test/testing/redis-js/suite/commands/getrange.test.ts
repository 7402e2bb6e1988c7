// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/getrange.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { GetRangeCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/getrange.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("gets an exiting value", async () => {
  const key = newKey();
  const value = "Hello World";
  await new SetCommand([key, value]).exec(client);
  const res = await new GetRangeCommand([key, 2, 4]).exec(client);

  expect(res).toEqual(value.slice(2, 5));
});

test("gets a non-existing value", async () => {
  const key = newKey();
  const res = await new GetRangeCommand([key, 10, 24]).exec(client);

  expect(res).toEqual("");
});

});
