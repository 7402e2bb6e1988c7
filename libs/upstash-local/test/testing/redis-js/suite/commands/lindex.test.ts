// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/lindex.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { LIndexCommand } from "../../shim/commands.js";
import { LPushCommand } from "../../shim/commands.js";

describe("commands/lindex.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when list exists", () => {
  describe("when the index is in range", () => {
    test("returns the element at index", async () => {
      const key = newKey();

      const value = randomID();
      await new LPushCommand([key, value]).exec(client);
      const res = await new LIndexCommand([key, 0]).exec(client);
      expect(res).toEqual(value);
    });
    describe("when the index is out of bounds", () => {
      test("returns null", async () => {
        const key = newKey();

        const value = randomID();
        await new LPushCommand([key, value]).exec(client);
        const res = await new LIndexCommand([key, 1]).exec(client);
        expect(res).toEqual(null);
      });
    });
  });
});

});
