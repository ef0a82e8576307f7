"""Prints the model's top-k next-token probabilities at every position of a token list as
JSON, so a test can compare them with llama.cpp running the exported GGUF.

  /usr/bin/python3 training/micro/reference.py --weights DIR --tokens '[1, 2, 3]' [--top 5]
Output: [{"position": 0, "top": [[token, probability], ...]}, ...]"""

import argparse
import json
import os
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", required=True, help="directory holding weights.json + weights.bin")
    parser.add_argument("--tokens", required=True, help="JSON list of token ids, or @FILE holding one")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    import torch

    from weights import load_weights

    torch.set_num_threads(args.threads)
    text = open(args.tokens[1:]).read() if args.tokens.startswith("@") else args.tokens
    tokens = json.loads(text)
    if not isinstance(tokens, list) or not tokens or not all(isinstance(t, int) for t in tokens):
        sys.exit(f"--tokens must be a non-empty JSON list of integer token ids, got {text[:80]!r}")
    model = load_weights(args.weights)
    vocabulary = model.config["vocabularySize"]
    bad = [t for t in tokens if t < 0 or t >= vocabulary]
    if bad:
        sys.exit(f"token ids {bad[:5]} are outside the vocabulary (0..{vocabulary - 1})")
    with torch.no_grad():
        hidden, _ = model.hidden(torch.tensor([tokens]))
        probabilities = torch.softmax(model.logits(hidden)[0], dim=-1)
        values, indices = probabilities.topk(args.top, dim=-1)
    rows = [
        {"position": position, "top": [[int(i), float(p)] for i, p in zip(indices[position], values[position])]}
        for position in range(len(tokens))
    ]
    json.dump(rows, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
