"""Writes a synthetic dataset in the trainer's JSONL format, for developing and testing the
trainer without the real generator. Its core is the skill the real data needs most: copying
number tokens from the prompt into the target (a call's arguments, an answer's result).

Tokens: 0-9 specials, 10-99 structure, numbers (100-1099, fewer in a small vocabulary) as
single tokens, the rest words.
  route:  suffix mentions a number question or not -> target [TOOLS|DIRECT, END]
  call:   "... 48 ... 12 ..." -> target [CALL, OPEN, 48, TIMES, 12, CLOSE, END]
  answer: suffix holds a tool response [RESPONSE, n, /RESPONSE] -> target [THE, RESULT, n, DOT, END]
"""

import argparse
import json
import random

END, IM_START, IM_END, USER, ASSISTANT, RESPONSE, RESPONSE_END = 1, 2, 3, 4, 5, 6, 7
TOOLS, DIRECT, CALL, OPEN, TIMES, CLOSE = 10, 11, 12, 13, 14, 15
QUESTION_MARK = 16
KEYWORD = 20  # marks a question that needs the calculator
STEP_MARK = {"route": 21, "call": 22, "answer": 23}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--examples", type=int, default=4000)
    parser.add_argument("--prefixes", type=int, default=4)
    parser.add_argument("--prefix-length", type=int, default=800)
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--split", default="train")
    parser.add_argument("--threads", type=int, default=1, help="unused: it does no math")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.vocab_size < 300:
        parser.error("--vocab-size must be at least 300")
    split = min(1100, 100 + (args.vocab_size - 100) // 2)
    numbers, words = range(100, split), range(split, args.vocab_size)

    def filler(low, high):
        return [rng.choice(words) for _ in range(rng.randint(low, high))]

    with open(args.out, "w") as out:
        for prefix in range(args.prefixes):
            tokens = [IM_START] + filler(args.prefix_length - 20, args.prefix_length + 20) + [IM_END]
            out.write(json.dumps({"kind": "prefix", "id": prefix, "tokens": tokens}) + "\n")
        for _ in range(args.examples):
            step = rng.choice(["route", "call", "answer"])
            a, b = rng.choice(numbers), rng.choice(numbers)
            needs_tool = step != "route" or rng.random() < 0.5
            question = filler(3, 12) + [a] + filler(1, 4) + [b] + filler(0, 6) + [QUESTION_MARK]
            if needs_tool:
                question = question[:2] + [KEYWORD] + question[2:]
            # Real prompts differ by graph step (instructions, tool results); so do these.
            suffix = [IM_START, USER] + question + [IM_END, IM_START, ASSISTANT, STEP_MARK[step]]
            if step == "route":
                target = [TOOLS if needs_tool else DIRECT, END]
            elif step == "call":
                target = [CALL, OPEN, a, TIMES, b, CLOSE, END]
            else:
                result = rng.choice(numbers)
                suffix += [CALL, OPEN, a, TIMES, b, CLOSE, IM_END, RESPONSE, result, RESPONSE_END, IM_START, ASSISTANT]
                target = [30, 31, result, 32, END]
            record = {
                "kind": "example",
                "prefix": rng.randrange(args.prefixes),
                "suffix": suffix,
                "target": target,
                "step": step,
                "split": args.split,
            }
            out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
