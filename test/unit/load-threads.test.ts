import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Llama } from "node-llama-cpp";
import {
  LoadAwareThreads,
  othersBusyCores,
  threadsForLoad,
} from "../../src/models/runtime/index.js";

const at = (machineBusyMs: number, machineTotalMs: number, ownMs: number) => ({
  machineBusyMs,
  machineTotalMs,
  ownMs,
});

describe("load-aware threads", () => {
  it("measures the cores other processes used: machine CPU time minus this process's", () => {
    // 2 cores, 1 s of wall time (2,000 ms of CPU time in all).
    assert.equal(othersBusyCores(at(0, 0, 0), at(2000, 2000, 1000), 2), 1);
    assert.equal(othersBusyCores(at(0, 0, 0), at(1000, 2000, 1000), 2), 0, "only us");
    assert.equal(othersBusyCores(at(0, 0, 0), at(1500, 2000, 0), 2), 1.5);
    assert.equal(othersBusyCores(at(5, 5, 5), at(5, 5, 5), 2), 0, "no time passed");
  });

  it("leaves the cores others use to them, always keeping one thread", () => {
    assert.equal(threadsForLoad(2, 0), 2);
    assert.equal(threadsForLoad(2, 0.3), 1, "a core partly taken is not ours");
    assert.equal(threadsForLoad(2, 0.1), 2, "noise is ignored");
    assert.equal(threadsForLoad(2, 2), 1);
    assert.equal(threadsForLoad(8, 3), 5);
    assert.equal(threadsForLoad(8, 3.9), 4);
  });

  it("keeps its cap on the Llama even when something else changed it in between", () => {
    const llama = { maxThreads: 4, gpu: false } as unknown as Llama;
    const threads = new LoadAwareThreads(llama, 1, 60_000, 2);
    assert.equal(threads.recheck(0), 1);
    assert.equal(llama.maxThreads, 1);
    llama.maxThreads = 2; // e.g. a benchmark trying a fixed count
    assert.equal(threads.recheck(10), 1, "within the interval: no new sample, same cap");
    assert.equal(llama.maxThreads, 1, "and the cap is applied again");
  });
});
