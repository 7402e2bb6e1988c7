// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/getset.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { GetCommand } from "../../shim/commands.js";
import { GetSetCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/getset.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("overwrites the original value", async () => {
  const key = newKey();
  const value = randomID();
  const newValue = randomID();
  await new SetCommand([key, value]).exec(client);
  const res = await new GetSetCommand([key, newValue]).exec(client);

  expect(res).toEqual(value);
  const res2 = await new GetCommand([key]).exec(client);

  expect(res2).toEqual(newValue);
});
test("sets a new value if empty", async () => {
  const key = newKey();
  const newValue = randomID();
  const res = await new GetSetCommand([key, newValue]).exec(client);

  expect(res).toEqual(null);
  const res2 = await new GetCommand([key]).exec(client);

  expect(res2).toEqual(newValue);
});

});
