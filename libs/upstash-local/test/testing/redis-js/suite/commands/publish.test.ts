// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/publish.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { expect, test, describe } from "../../shim/bun-test.js";
import { newHttpClient } from "../../shim/test-utils.js";

import { PublishCommand } from "../../shim/commands.js";

describe("commands/publish.test.ts", () => {


const client = newHttpClient();

test.skip("returns the number of clients that received the message", async () => {
  const res = await new PublishCommand(["channel", "hello"]).exec(client);

  expect(typeof res).toBe("number");
});

});
