// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/lmove.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { LPushCommand } from "../../shim/commands.js";

import { LLenCommand } from "../../shim/commands.js";
import { LMoveCommand } from "../../shim/commands.js";
import { LPopCommand } from "../../shim/commands.js";

describe("commands/lmove.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("moves the entry from left to left", async () => {
  const source = newKey();
  const destination = newKey();
  const value = randomID();
  await new LPushCommand([source, value]).exec(client);

  const res = await new LMoveCommand([source, destination, "left", "left"]).exec(client);
  expect(res).toEqual(value);

  const elementInSource = await new LPopCommand([source]).exec(client);
  expect(elementInSource).toEqual(null);

  const elementInDestination = await new LPopCommand([destination]).exec(client);
  expect(elementInDestination).toBe(value);
});

test("moves the entry from left to right", async () => {
  const source = newKey();
  const destination = newKey();
  const values = Array.from({ length: 5 })
    .fill(0)
    .map((_) => randomID());

  await new LPushCommand([source, ...values]).exec(client);

  const res = await new LMoveCommand([source, destination, "left", "right"]).exec(client);
  expect(res).toEqual(values.at(-1));

  const elementsInSource = await new LLenCommand([source]).exec(client);
  expect(elementsInSource).toEqual(values.length - 1);

  const elementInDestination = await new LPopCommand([destination]).exec(client);
  expect(elementInDestination).toEqual(values.at(-1));
});

});
