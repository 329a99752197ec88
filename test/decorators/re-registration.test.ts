import "reflect-metadata";
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { IsNumber } from "class-validator";
import { NODES, Node, NodeDefinitionError, Output, runNode } from "../../src/index";
import { X } from "../fixtures/data-classes";

const FIXTURE = join(__dirname, "..", "fixtures", "reloadable-node.js");

@Output()
class Out {
  @IsNumber() y!: number;
}

describe("registering a node class name again", () => {
  it("replaces the entry when the module that defines it is evaluated again (hot reload, cleared require.cache)", async () => {
    const first = require(FIXTURE).ReloadableNode;
    delete require.cache[FIXTURE];
    const second = require(FIXTURE).ReloadableNode;
    assert.notEqual(first, second);
    assert.equal(NODES.get("ReloadableNode"), second);
    assert.deepEqual({ ...(await runNode(second, { x: 1 })) }, { y: 2 });
  });

  it("still throws for a second class of that name made in the same evaluation of the module", () => {
    const { defineAgain } = require(FIXTURE);
    assert.throws(
      () => defineAgain(),
      (e: unknown) => e instanceof NodeDefinitionError && /already registered/.test(e.message),
    );
  });

  it("still throws for a class of another module claiming the name", () => {
    require(FIXTURE);
    assert.throws(
      () => {
        @Node({ input: X, output: Out })
        class ReloadableNode {
          execute(input: X): Out {
            return { y: input.x };
          }
        }
        return ReloadableNode;
      },
      (e: unknown) =>
        e instanceof NodeDefinitionError &&
        /"ReloadableNode" is already registered by another class named ReloadableNode/.test(e.message),
    );
  });
});
