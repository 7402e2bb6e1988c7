// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/time.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { expect, test, describe } from "../../shim/bun-test.js";
import { newHttpClient } from "../../shim/test-utils.js";

import { TimeCommand } from "../../shim/commands.js";

describe("commands/time.test.ts", () => {

const client = newHttpClient();

test("returns the time", async () => {
  const res = await new TimeCommand().exec(client);

  expect(typeof res[0]).toBe("number");
  expect(typeof res[1]).toBe("number");
});

});
