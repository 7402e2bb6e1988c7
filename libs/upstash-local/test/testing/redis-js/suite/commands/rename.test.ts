// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/rename.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";

import { RenameCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/rename.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("renames the key", async () => {
  const source = newKey();
  const destination = newKey();
  const value = randomID();
  await new SetCommand([source, value]).exec(client);
  const res = await new RenameCommand([source, destination]).exec(client);
  expect(res).toEqual("OK");
});

});
