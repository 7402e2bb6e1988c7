// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hdel.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { HDelCommand } from "../../shim/commands.js";
import { HGetCommand } from "../../shim/commands.js";
import { HSetCommand } from "../../shim/commands.js";

describe("commands/hdel.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("deletes a hash that does not exist", async () => {
  const key = newKey();
  const field = randomID();
  const res = await new HDelCommand([key, field]).exec(client);

  expect(res).toEqual(0);
});

test("deletes a field that exists", async () => {
  const key = newKey();
  const field = randomID();
  await new HSetCommand([key, { [field]: randomID() }]).exec(client);
  const res = await new HDelCommand([key, field]).exec(client);

  expect(res).toEqual(1);
  const res2 = await new HGetCommand([key, field]).exec(client);

  expect(res2).toEqual(null);
});

test("deletes multiple fields", async () => {
  const key = newKey();
  const field1 = randomID();
  const field2 = randomID();
  await new HSetCommand([key, { [field1]: randomID(), [field2]: randomID() }]).exec(client);
  const res = await new HDelCommand([key, field1, field2]).exec(client);

  expect(res).toEqual(2);
  const res2 = await new HGetCommand([key, field1]).exec(client);
  expect(res2).toEqual(null);

  const res3 = await new HGetCommand([key, field2]).exec(client);
  expect(res3).toEqual(null);
});

});
