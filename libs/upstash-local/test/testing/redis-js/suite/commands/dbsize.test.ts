// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/dbsize.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { DBSizeCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/dbsize.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the db size", async () => {
  const key = newKey();
  const value = randomID();
  await new SetCommand([key, value]).exec(client);
  const res = await new DBSizeCommand().exec(client);
  expect(res > 0).toEqual(true);
});

});
