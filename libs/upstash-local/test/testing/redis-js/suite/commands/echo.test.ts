// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/echo.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { newHttpClient, randomID } from "../../shim/test-utils.js";

import { expect, test, describe } from "../../shim/bun-test.js";
import { EchoCommand } from "../../shim/commands.js";

describe("commands/echo.test.ts", () => {

const client = newHttpClient();

test("returns the message", async () => {
  const message = randomID();
  const res = await new EchoCommand([message]).exec(client);
  expect(res).toEqual(message);
});

});
