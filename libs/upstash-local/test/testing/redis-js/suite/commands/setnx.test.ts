// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/setnx.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { GetCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";
import { SetNxCommand } from "../../shim/commands.js";

describe("commands/setnx.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("sets value", async () => {
  const key = newKey();
  const value = randomID();
  const newValue = randomID();

  const res = await new SetCommand([key, value]).exec(client);

  expect(res).toEqual("OK");
  const res2 = await new SetNxCommand([key, newValue]).exec(client);

  expect(res2).toEqual(0);
  const res3 = await new GetCommand([key]).exec(client);

  expect(res3).toEqual(value);
});

});
