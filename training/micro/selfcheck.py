"""Checks the trainer's shortcut against the plain computation: target losses computed with a
shared prefix's keys/values reused across a padded batch equal those of each whole prompt run
alone, and each target token gets its own loss weight (--number-weight). Exits non-zero with
the largest difference when they do not."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from model import Qwen3  # noqa: E402
from train import Batcher, forward_loss  # noqa: E402

torch.set_num_threads(1)
config = {
    "vocabularySize": 97,
    "embeddingLength": 32,
    "blockCount": 2,
    "feedForwardLength": 48,
    "headCount": 4,
    "headCountKv": 2,
    "headDim": 8,
    "contextLength": 128,
    "ropeFreqBase": 10000.0,
    "rmsEpsilon": 1e-6,
    "tiedEmbeddings": True,
}
model = Qwen3(config)
model.init_weights(3, std=0.2, norm_jitter=0.2)
prefixes = {0: [5, 9, 13, 17, 21, 25, 29]}
examples = [
    {"prefix": 0, "suffix": [40, 41, 42], "target": [50, 51], "step": "call"},
    {"prefix": 0, "suffix": [], "target": [60, 61, 62, 63], "step": "route"},
    {"prefix": 0, "suffix": [70, 71, 72, 73, 74, 75], "target": [80], "step": "answer"},
]
worst = 0.0
with torch.no_grad():
    # keep: the whole prefix, its last 3 tokens (the curriculum's ramp), none (its start).
    for keep in (None, 3, 0):
        batched, rows, _, _, _ = forward_loss(torch, model, Batcher(torch, prefixes), examples, keep)
        plain = []
        for example in examples:
            prefix = prefixes[0] if keep is None else prefixes[0][len(prefixes[0]) - keep :]
            if keep == 0 and not example["suffix"]:
                prefix = prefixes[0][-1:]
            sequence = prefix + example["suffix"] + example["target"]
            hidden, _ = model.hidden(torch.tensor([sequence[:-1]]))
            logits = model.logits(hidden[0])
            start = len(sequence) - len(example["target"]) - 1
            plain.append(
                torch.nn.functional.cross_entropy(logits[start:], torch.tensor(example["target"]), reduction="none")
            )
        assert rows.tolist() == [0, 0, 1, 1, 1, 1, 2], rows.tolist()
        difference = (batched - torch.cat(plain)).abs().max().item()
        if difference > 1e-5:
            sys.exit(f"keep={keep}: the shared-prefix batch differs from whole prompts by {difference}")
        worst = max(worst, difference)
print(f"shared-prefix batch equals whole prompts (max difference {worst:.2e})")

# The weights line up with the target tokens they weigh, in every curriculum phase.
token_weights = torch.ones(config["vocabularySize"])
token_weights[[51, 62, 80]] = 4.0
targets = [token for example in examples for token in example["target"]]
with torch.no_grad():
    for keep in (None, 3, 0):
        losses, _, _, _, weights = forward_loss(
            torch, model, Batcher(torch, prefixes), examples, keep, token_weights
        )
        expected = [4.0 if token in (51, 62, 80) else 1.0 for token in targets]
        if weights.tolist() != expected:
            sys.exit(f"keep={keep}: loss weights {weights.tolist()} do not match the targets {targets}")
print("each target token carries its own loss weight")
