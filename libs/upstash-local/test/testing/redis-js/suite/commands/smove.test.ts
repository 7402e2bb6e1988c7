// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/smove.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";
import { SMoveCommand } from "../../shim/commands.js";

describe("commands/smove.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("moves the member", async () => {
  const source = newKey();
  const destination = newKey();
  const member = randomID();
  await new SAddCommand([source, member]).exec(client);
  const res = await new SMoveCommand([source, destination, member]).exec(client);
  expect(res).toEqual(1);
});

});
