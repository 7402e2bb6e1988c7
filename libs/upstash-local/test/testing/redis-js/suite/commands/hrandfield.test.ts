// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hrandfield.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";
import { HRandFieldCommand } from "../../shim/commands.js";
import { HSetCommand } from "../../shim/commands.js";

describe("commands/hrandfield.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);
describe("with single field present", () => {
  test("returns the field", async () => {
    const key = newKey();
    const field1 = randomID();
    const value1 = randomID();
    await new HSetCommand([key, { [field1]: value1 }]).exec(client);

    const res = await new HRandFieldCommand([key]).exec(client);

    expect(res).toEqual(field1);
  });
});

describe("with multiple fields present", () => {
  test("returns a random field", async () => {
    const key = newKey();
    const fields: Record<string, string> = {};
    for (let i = 0; i < 10; i++) {
      fields[randomID()] = randomID();
    }
    await new HSetCommand([key, fields]).exec(client);

    const res = await new HRandFieldCommand<string>([key]).exec(client);

    expect(fields).toHaveProperty(res);
  });
});

describe("with withvalues", () => {
  test("returns a subset with values", async () => {
    const key = newKey();
    const fields: Record<string, string> = {};
    for (let i = 0; i < 10; i++) {
      fields[randomID()] = randomID();
    }
    await new HSetCommand([key, fields]).exec(client);

    const res = await new HRandFieldCommand<Record<string, string>>([key, 2, true]).exec(client);
    for (const [k, v] of Object.entries(res)) {
      expect(fields).toHaveProperty(k);
      expect(fields[k]).toEqual(v);
    }
  });
});
describe("when hash does not exist", () => {
  test("it returns null", async () => {
    const res = await new HRandFieldCommand([randomID()]).exec(client);
    expect(res).toEqual(null);
  });
});

});
