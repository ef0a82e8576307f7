"""Measures training throughput of candidate model configs on a step shaped like the real data
(one shared prefix, a batch of suffix + target rows), in CPU seconds per step, so configs can be
compared on a machine other jobs share.

  /usr/bin/python3 training/micro/bench.py [--threads 2] [--steps 3] [--prefix 1100]"""

import argparse
import json
import os
import random
import sys
import time


CANDIDATES = {
    "d128-l3": {"embeddingLength": 128, "blockCount": 3, "feedForwardLength": 384, "headCount": 4, "headCountKv": 2},
    "d192-l3": {"embeddingLength": 192, "blockCount": 3, "feedForwardLength": 512, "headCount": 6, "headCountKv": 2},
    "d256-l4": {"embeddingLength": 256, "blockCount": 4, "feedForwardLength": 768, "headCount": 8, "headCountKv": 4},
    "d256-l3": {"embeddingLength": 256, "blockCount": 3, "feedForwardLength": 768, "headCount": 8, "headCountKv": 4},
    "d192-l6": {"embeddingLength": 192, "blockCount": 6, "feedForwardLength": 512, "headCount": 6, "headCountKv": 2},
    "d320-l3": {"embeddingLength": 320, "blockCount": 3, "feedForwardLength": 864, "headCount": 10, "headCountKv": 5},
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--prefix", type=int, default=1100, help="shared prefix tokens")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--row", type=int, default=80, help="suffix + target tokens per row")
    parser.add_argument("--target", type=int, default=12)
    parser.add_argument("--vocab-size", type=int, default=8192)
    parser.add_argument("--only", help="comma-separated candidate names")
    args = parser.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    import torch

    from model import Qwen3
    from train import DEFAULT_CONFIG, Batcher, forward_loss

    torch.set_num_threads(args.threads)
    rng = random.Random(0)
    prefixes = {0: [rng.randrange(args.vocab_size) for _ in range(args.prefix)]}
    examples = [
        {
            "prefix": 0,
            "suffix": [rng.randrange(args.vocab_size) for _ in range(args.row - args.target)],
            "target": [rng.randrange(args.vocab_size) for _ in range(args.target)],
            "step": "call",
        }
        for _ in range(args.batch)
    ]
    names = args.only.split(",") if args.only else list(CANDIDATES)
    for name in names:
        config = {**DEFAULT_CONFIG, **CANDIDATES[name], "headDim": 32, "vocabularySize": args.vocab_size}
        model = Qwen3(config)
        model.init_weights(0)
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
        batcher = Batcher(torch, prefixes)
        timings = []
        for step in range(args.steps + 1):
            cpu, wall = time.process_time(), time.time()
            losses, _, _, processed, _ = forward_loss(torch, model, batcher, examples)
            optimizer.zero_grad()
            losses.mean().backward()
            optimizer.step()
            if step > 0:  # the first step warms allocations up
                timings.append((time.process_time() - cpu, time.time() - wall))
        cpu = sum(t[0] for t in timings) / len(timings)
        wall = sum(t[1] for t in timings) / len(timings)
        row = {
            "config": name,
            "parameters": model.parameter_count(),
            "tokens_per_step": processed,
            "cpu_seconds_per_step": round(cpu, 2),
            "wall_seconds_per_step": round(wall, 2),
            "tokens_per_cpu_second": round(processed / cpu),
            "examples_per_cpu_second": round(args.batch / cpu, 2),
        }
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
