// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/get.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SetCommand } from "../../shim/commands.js";

import { GetCommand } from "../../shim/commands.js";

describe("commands/get.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("gets an exiting value", async () => {
  const key = newKey();
  const value = randomID();
  await new SetCommand([key, value]).exec(client);
  const res = await new GetCommand([key]).exec(client);

  expect(res).toEqual(value);
});

test("gets a non-existing value", async () => {
  const key = newKey();
  const res = await new GetCommand([key]).exec(client);

  expect(res).toEqual(null);
});

test("gets an object", async () => {
  const key = newKey();
  const value = { v: randomID() };
  await new SetCommand([key, value]).exec(client);
  const res = await new GetCommand<{ v: string }>([key]).exec(client);

  expect(res).toEqual(value);
});

});
