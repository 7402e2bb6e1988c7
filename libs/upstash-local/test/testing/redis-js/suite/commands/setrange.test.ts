// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/setrange.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { SetCommand } from "../../shim/commands.js";
import { SetRangeCommand } from "../../shim/commands.js";

import { GetCommand } from "../../shim/commands.js";

describe("commands/setrange.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);
test("sets value", async () => {
  const key = newKey();
  const value = "originalValue";

  const res = await new SetCommand([key, value]).exec(client);

  expect(res).toEqual("OK");
  const res2 = await new SetRangeCommand([key, 4, "helloWorld"]).exec(client);

  expect(res2).toEqual(14);
  const res3 = await new GetCommand([key]).exec(client);

  expect(res3).toEqual("orighelloWorld");
});

});
