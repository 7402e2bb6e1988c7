// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/geo_pos.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";
import { newHttpClient } from "../../shim/test-utils.js";
import { GeoAddCommand } from "../../shim/commands.js";
import { GeoPosCommand } from "../../shim/commands.js";

describe("commands/geo_pos.test.ts", () => {


const client = newHttpClient();

describe("GEOPOS tests", () => {
  test("should swallow non-existing member and return only the valid ones", async () => {
    const key = "Sicily";
    const members = ["Palermo", "Catania", "Marsala"];
    await new GeoAddCommand([
      key,
      { longitude: 13.361_389, latitude: 38.115_556, member: members[0] },
      { longitude: 15.087_269, latitude: 37.502_669, member: members[1] },
      { longitude: 12.4372, latitude: 37.7981, member: members[2] },
    ]).exec(client);
    const response = await new GeoPosCommand([key, [...members, "FooBar"]]).exec(client);
    expect(response.length).toEqual(3);
  });

  test("should return three valid positions", async () => {
    const key = "Sicily";
    const members = ["Palermo", "Catania", "Marsala"];
    await new GeoAddCommand([
      key,
      { longitude: 13.361_389, latitude: 38.115_556, member: members[0] },
      { longitude: 15.087_269, latitude: 37.502_669, member: members[1] },
      { longitude: 12.4372, latitude: 37.7981, member: members[2] },
    ]).exec(client);

    const response = await new GeoPosCommand([key, members]).exec(client);

    expect(response.every(Boolean)).toEqual(true);
  });

  test("should return empty array due to null value FooBar", async () => {
    const key = "Sicily";
    const members = ["Palermo"];
    await new GeoAddCommand([
      key,
      { longitude: 13.361_389, latitude: 38.115_556, member: members[0] },
    ]).exec(client);
    const response = await new GeoPosCommand([key, "FooBar"]).exec(client);
    expect(response).toEqual([]);
  });

  test("should work with object members", async () => {
    const key = "Sicily";
    const members = [{ name: "Palermo" }, { name: "Catania" }, { name: "Marsala" }];
    await new GeoAddCommand([
      key,
      { longitude: 13.361_389, latitude: 38.115_556, member: members[0] },
      { longitude: 15.087_269, latitude: 37.502_669, member: members[1] },
      { longitude: 12.4372, latitude: 37.7981, member: members[2] },
    ]).exec(client);
    const response = await new GeoPosCommand([key, [...members, "FooBar"]]).exec(client);
    expect(response.length).toEqual(3);
  });
});

});
