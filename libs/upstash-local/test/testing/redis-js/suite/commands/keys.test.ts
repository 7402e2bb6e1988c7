// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/keys.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { KeysCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/keys.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when keys are found", () => {
  test("returns keys", async () => {
    const key = newKey();
    await new SetCommand([key, "value"]).exec(client);
    const res = await new KeysCommand([key]).exec(client);
    expect(res).toEqual([key]);
  });
});

});
