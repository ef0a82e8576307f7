import os from "node:os";
import { Worker } from "node:worker_threads";

/**
 * Memory read bandwidth, measured from Node: one worker per core, each summing its own buffer
 * (larger than any cache) with 128-bit WebAssembly SIMD loads, all passes started together
 * through a shared barrier; bandwidth = bytes read by all workers ÷ the slowest worker's time,
 * best of several passes. Plain JavaScript loops are compute-bound below the memory's speed,
 * which would make the decode benchmark (P4) look closer to the limit than it is.
 */
export interface BandwidthResult {
  gigabytesPerSecond: number;
  workers: number;
  bytesPerWorker: number;
  passes: number;
  /** Every pass's bandwidth, GB/s. */
  perPass: number[];
}

// (module (import "e" "m" (memory 1))
//   (func (export "sum") (param $n i32) (result f64) (local $i i32) (local $a v128) … ($d v128)
//     (loop (a += f64x2 load i) (b += load i+16) (c += load i+32) (d += load i+48)
//           (br_if 0 (i32.lt_u (local.tee $i (i + 64)) n)))
//     (f64x2.extract_lane 0 (a + b + c + d))))
const WASM_SUM = Buffer.from(
  [
    "0061736d01000000", // magic, version
    "01060160017f017c", // type: (i32) -> f64
    "0208010165016d020001", // import "e" "m": memory, min 1 page
    "03020100", // function 0 has type 0
    "0707010373756d0000", // export "sum" = function 0
    "0a60015e", // code section, one body of 94 bytes
    "02017f047b", // locals: 1 i32, 4 v128
    "0340", // loop
    "20022001fd000400fdf0012102", // a = f64x2.add(a, v128.load(i))
    "20032001fd000410fdf0012103", // b = f64x2.add(b, v128.load(i + 16))
    "20042001fd000420fdf0012104", // c = f64x2.add(c, v128.load(i + 32))
    "20052001fd000430fdf0012105", // d = f64x2.add(d, v128.load(i + 48))
    "200141c0006a22012000490d00", // br_if loop ((i += 64) < n)
    "0b", // end loop
    "20022003fdf0012004fdf0012005fdf001fd2100", // lane 0 of a + b + c + d
    "0b", // end function
  ].join(""),
  "hex",
);

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { bytes, passes, barrier, wasm, total } = workerData;
const pages = Math.ceil(bytes / 65536);
const memory = new WebAssembly.Memory({ initial: pages });
// Written first: untouched pages all map the one zero page, which the cache serves.
new Uint8Array(memory.buffer).fill(1);
const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { e: { m: memory } });
const sum = instance.exports.sum;
const shared = new Int32Array(barrier);
sum(bytes); // warm: compile, fault in
const times = [];
let check = 0;
for (let pass = 0; pass < passes; pass++) {
  const arrived = Atomics.add(shared, 0, 1) + 1;
  if (arrived === total * (pass + 1)) { Atomics.store(shared, 1, pass + 1); Atomics.notify(shared, 1); }
  else while (Atomics.load(shared, 1) === pass) Atomics.wait(shared, 1, pass);
  const start = performance.now();
  check += sum(bytes);
  times.push(performance.now() - start);
}
parentPort.postMessage({ times, check });
`;

export async function measureReadBandwidth(
  options: { workers?: number; bytesPerWorker?: number; passes?: number } = {},
): Promise<BandwidthResult> {
  const workers = options.workers ?? os.availableParallelism();
  // A multiple of the 64-byte loop stride.
  const bytesPerWorker = Math.max(1 << 20, (options.bytesPerWorker ?? 256 * 2 ** 20) & ~63);
  const passes = options.passes ?? 6;
  const barrier = new SharedArrayBuffer(8);
  const runs = Array.from(
    { length: workers },
    () =>
      new Promise<number[]>((resolve, reject) => {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { bytes: bytesPerWorker, passes, barrier, wasm: WASM_SUM, total: workers },
        });
        worker.once("message", (message: { times: number[] }) => {
          resolve(message.times);
          void worker.terminate();
        });
        worker.once("error", reject);
      }),
  );
  const times = await Promise.all(runs);
  const perPass = Array.from({ length: passes }, (_, pass) => {
    const slowest = Math.max(...times.map((worker) => worker[pass]));
    return (bytesPerWorker * workers) / (slowest / 1000) / 1e9;
  });
  return {
    gigabytesPerSecond: Math.max(...perPass),
    workers,
    bytesPerWorker,
    passes,
    perPass,
  };
}
