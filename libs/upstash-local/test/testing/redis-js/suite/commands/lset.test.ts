// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/lset.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, describe, expect, test } from "../../shim/bun-test.js";
import { LPopCommand } from "../../shim/commands.js";
import { LPushCommand } from "../../shim/commands.js";
import { LSetCommand } from "../../shim/commands.js";

describe("commands/lset.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when list exists", () => {
  describe("when the index is in range", () => {
    test("replaces the element at index", async () => {
      const key = newKey();

      const value = randomID();
      const newValue = randomID();
      await new LPushCommand([key, value]).exec(client);
      const res = await new LSetCommand([key, 0, newValue]).exec(client);
      expect(res).toEqual("OK");

      const res2 = await new LPopCommand([key]).exec(client);

      expect(res2).toEqual(newValue);
    });
    describe("when the index is out of bounds", () => {
      test("returns null", async () => {
        const key = newKey();

        const value = randomID();
        const newValue = randomID();
        await new LPushCommand([key, value]).exec(client);
        let hasThrown = false;
        await new LSetCommand([key, 1, newValue]).exec(client).catch(() => {
          hasThrown = true;
        });
        expect(hasThrown).toBeTrue();
      });
    });
  });
});

});
