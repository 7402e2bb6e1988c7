// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hexists.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { HExistsCommand } from "../../shim/commands.js";
import { HSetCommand } from "../../shim/commands.js";

describe("commands/hexists.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns 1 for an existing field", async () => {
  const key = newKey();
  const field = randomID();
  await new HSetCommand([key, { [field]: randomID() }]).exec(client);
  const res = await new HExistsCommand([key, field]).exec(client);
  expect(res).toEqual(1);
});
test("returns 0 if field does not exist", async () => {
  const key = newKey();
  await new HSetCommand([
    key,
    {
      [randomID()]: randomID(),
    },
  ]).exec(client);

  const res = await new HExistsCommand([key, "not-existing-field"]).exec(client);
  expect(res).toEqual(0);
});
test("returns 0 if hash does not exist", async () => {
  const key = newKey();
  const field = randomID();
  const res = await new HExistsCommand([key, field]).exec(client);
  expect(res).toEqual(0);
});

});
