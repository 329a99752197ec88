import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MoiraeError } from "../../src/index";

describe("MoiraeError", () => {
  it("is an Error with its class name as name", () => {
    const e = new MoiraeError("boom");
    assert.ok(e instanceof Error);
    assert.equal(e.name, "MoiraeError");
    assert.equal(e.message, "boom");
  });
});
