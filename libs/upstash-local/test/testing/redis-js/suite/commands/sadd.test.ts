// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/sadd.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";

describe("commands/sadd.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the number of added members", async () => {
  const key = newKey();
  const value1 = randomID();
  const value2 = randomID();
  const res = await new SAddCommand([key, value1, value2]).exec(client);
  expect(res).toEqual(2);
});

test("throws when there are no members", async () => {
  const key = newKey();
  // @ts-expect-error It should give type error when no members are given
  expect(async () => await new SAddCommand([key]).exec(client)).toThrow();
});

});
