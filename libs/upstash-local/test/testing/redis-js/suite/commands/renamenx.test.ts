// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/renamenx.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { RenameNXCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/renamenx.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when the key exists", () => {
  test("does nothing", async () => {
    const source = newKey();
    const destination = newKey();
    const sourceValue = randomID();
    const destinationValue = randomID();
    await new SetCommand([source, sourceValue]).exec(client);
    await new SetCommand([destination, destinationValue]).exec(client);
    const res = await new RenameNXCommand([source, destination]).exec(client);
    expect(res).toEqual(0);
  });
});
describe("when the key does not exist", () => {
  test("renames the key", async () => {
    const source = newKey();
    const destination = newKey();
    const value = randomID();
    await new SetCommand([source, value]).exec(client);
    const res = await new RenameNXCommand([source, destination]).exec(client);
    expect(res).toEqual(1);
  });
});

});
