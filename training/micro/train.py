"""Trains the Hearth Micro model (a small Qwen3, see model.py) on a dataset of
(prompt -> target) examples and writes the weights exchange files the exporter reads.

Dataset (JSONL):
  {"kind":"prefix","id":0,"tokens":[...]}
  {"kind":"example","prefix":0,"suffix":[...],"target":[...],"step":"route","split":"train"}
prompt = prefix.tokens ++ suffix; loss on the target tokens only.

What makes a model this small train in CPU minutes:
- the shared prefix (system prompt + tool docs, most of every prompt) runs ONCE per batch and
  its keys/values serve every example of the batch (batches are drawn from one prefix);
- a curriculum: the first part of the run sees suffix + target only (short sequences), then
  whole prompts (whole prompts from the start sit on a long loss plateau);
- logits only at target positions (the tied output matrix is most of the compute otherwise).
"""

import argparse
import csv
import json
import math
import os
import random
import sys
import time

# Chosen by throughput and by the synthetic copy task. bench.py, one thread, CPU seconds per
# step of a 1,100-token prefix and 16 rows of 80: d=128 x 3 layers 0.56 s, d=192 x 3 1.31 s,
# d=256 x 3 2.24 s, d=256 x 4 2.53 s. Training is compute-bound (about one pass over the real
# data in the time budget), and on the copy task d=128 learned as much per step as d=192
# (held-out exact match 0.65 vs 0.59 at step 1,500) at 0.43x the cost per step. With an 8K
# vocabulary: ~1.6M parameters, far under the budget on purpose.
DEFAULT_CONFIG = {
    "embeddingLength": 128,
    "blockCount": 3,
    "feedForwardLength": 384,
    "headCount": 4,
    "headCountKv": 2,
    "headDim": 32,
    "contextLength": 8192,
    "ropeFreqBase": 10000.0,
    "rmsEpsilon": 1e-6,
    "tiedEmbeddings": True,
}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="training JSONL (examples with split 'train' are used)")
    parser.add_argument("--eval", help="held-out JSONL: its loss is logged as eval_loss")
    parser.add_argument("--out", required=True, help="directory for weights.json, weights.bin, curve.csv")
    parser.add_argument("--minutes", type=float, help="wall-clock training budget")
    parser.add_argument("--steps", type=int, help="step budget (with --minutes: whichever ends first)")
    parser.add_argument("--vocab-size", type=int, help="vocabulary size (default: largest token id + 1)")
    parser.add_argument(
        "--init-from",
        help="start from the weights in this directory (weights.json + weights.bin; their config wins) "
        "instead of a random model, to train on; usually with --short-fraction 0 --ramp-fraction 0",
    )
    parser.add_argument(
        "--tied-pieces",
        help="JSON file of [marked id, plain id] pairs (\"▁17\" and \"17\") to train as one row plus a shared "
        "mark direction (see model.PieceTies); the pipeline writes it from the vocabulary",
    )
    parser.add_argument(
        "--number-weight",
        type=float,
        default=1.0,
        help="loss weight of target tokens that are number pieces (digits, with or without the mark; "
        "read from the vocabulary file given by --vocabulary): numbers are the tokens the model must copy, "
        "a few per target among many tokens it learns early",
    )
    parser.add_argument(
        "--compose-numbers",
        action="store_true",
        help="with --tied-pieces and --vocabulary: compose each number piece's row from rows per digit and "
        "place plus a scaled-down free part (see model.PieceTies), so every number trains the rows all use",
    )
    parser.add_argument(
        "--number-free-scale",
        type=float,
        default=0.1,
        help="with --compose-numbers: the scale of each number's own free part (0 composes numbers from digits alone)",
    )
    parser.add_argument("--vocabulary", help="the vocabulary JSON (for --number-weight and --compose-numbers)")
    parser.add_argument(
        "--oversample",
        help="STEP=N[,STEP=N…]: draw the examples of these step types N times as often, e.g. "
        "answer=3 (the answers copy the tool result, the step the model learns last)",
    )
    parser.add_argument("--config", help="JSON object overriding model config fields, e.g. '{\"blockCount\": 3}'")
    parser.add_argument("--batch", type=int, default=16, help="examples per step (all sharing one prefix)")
    parser.add_argument(
        "--batch-tokens",
        type=int,
        default=6144,
        help="most suffix + target tokens (padded) per step; long examples get smaller batches",
    )
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--min-lr-ratio", type=float, default=0.1)
    parser.add_argument("--warmup", type=int, default=30, help="warmup steps")
    parser.add_argument("--weight-decay", type=float, default=0.05)
    parser.add_argument(
        "--short-fraction",
        type=float,
        default=0.3,
        help="fraction of the budget trained on suffix + target only, before whole prompts "
        "(on the synthetic copy task, copying emerged within 1,250 steps with 0.3, not in 1,200 with 0.15)",
    )
    parser.add_argument(
        "--ramp-fraction",
        type=float,
        default=0.1,
        help="fraction of the budget, after the short part, over which the prompts grow from "
        "suffix only to the whole prefix (its last tokens first)",
    )
    parser.add_argument("--eval-every", type=int, default=100, help="steps between held-out evaluations (each also saves the weights)")
    parser.add_argument("--eval-limit", type=int, default=128, help="held-out examples per evaluation")
    parser.add_argument("--log-every", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--threads", type=int, default=2, help="threads per process")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="data-parallel processes (each draws its own batch; their gradients are averaged every "
        "step, so --batch is per process). On matrices this small a second PyTorch thread helps little, "
        "so 2 cores are best used as 2 processes of 1 thread (86 steps of 2 x 16 examples a minute "
        "against 73 steps of 16 for one process, measured back to back)",
    )
    args = parser.parse_args(argv)
    if args.minutes is None and args.steps is None:
        parser.error("give a budget: --minutes and/or --steps")
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    return args


def load_dataset(path, train_only):
    prefixes, examples = {}, []
    with open(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise SystemExit(f"{path}:{number}: not JSON ({error})")
            kind = record.get("kind")
            if kind == "prefix":
                prefixes[record["id"]] = record["tokens"]
            elif kind == "example":
                if train_only and record.get("split", "train") != "train":
                    continue
                if not record.get("target"):
                    raise SystemExit(f"{path}:{number}: example has an empty target")
                examples.append(record)
            else:
                raise SystemExit(f"{path}:{number}: kind must be 'prefix' or 'example', got {kind!r}")
    for example in examples:
        if example["prefix"] not in prefixes:
            raise SystemExit(f"{path}: an example names prefix {example['prefix']}, which the file does not define")
        if not prefixes[example["prefix"]] and not example["suffix"]:
            raise SystemExit(f"{path}: an example has an empty prompt (empty prefix and suffix)")
    if not examples:
        raise SystemExit(f"{path}: no examples{' with split train' if train_only else ''}")
    return prefixes, examples


def largest_token(prefixes, examples):
    largest = max((max(tokens) for tokens in prefixes.values() if tokens), default=0)
    for example in examples:
        largest = max(largest, max(example["suffix"], default=0), max(example["target"]))
    return largest


class Batcher:
    """Builds padded tensors for one step. Row j predicts row_tokens[j + 1]; labels are -100
    except where the next token is a target token."""

    def __init__(self, torch, prefixes):
        self.torch = torch
        self.prefixes = prefixes

    def rows(self, examples, keep=None):
        """keep: how many of the prefix's last tokens the prompts hold: None = all (examples
        share one prefix), 0 = none (suffix + target alone)."""
        torch = self.torch
        if keep != 0:
            prefix = self.prefixes[examples[0]["prefix"]]
            kept = prefix if keep is None else prefix[len(prefix) - keep :]
            # The prefix's last token moves into the rows, so the first target token is predicted
            # from a row position even when the suffix is empty.
            cached, lead = kept[:-1], kept[-1:]
            start = len(cached)
        else:
            cached, start = [], 0
        sequences, prompt_lengths = [], []
        for example in examples:
            if keep != 0:
                head = lead
            else:
                head = self.prefixes[example["prefix"]][-1:] if not example["suffix"] else []
            prompt = head + example["suffix"]
            sequences.append(prompt + example["target"])
            prompt_lengths.append(len(prompt))
        width = max(len(sequence) for sequence in sequences) - 1
        inputs = torch.zeros(len(examples), width, dtype=torch.long)
        labels = torch.full((len(examples), width), -100, dtype=torch.long)
        for row, (sequence, prompt_length) in enumerate(zip(sequences, prompt_lengths)):
            inputs[row, : len(sequence) - 1] = torch.tensor(sequence[:-1])
            labels[row, prompt_length - 1 : len(sequence) - 1] = torch.tensor(sequence[prompt_length:])
        return cached, start, inputs, labels


def row_length(example):
    return len(example["suffix"]) + len(example["target"])


class LengthPools:
    """Batches of examples of similar length (rows are padded to the longest, and real suffixes
    run from tens to thousands of tokens): lengths fall into buckets 30% wide and a batch is a
    random sample of the anchor's bucket, from the anchor's prefix when the prefix is run.
    Buckets, not neighbours: neighbours in length are often one step type, even one label
    (a route with or without a tool differs by a token or two), and such batches make the
    model swing between answers."""

    RATIO = 1.3

    def __init__(self, examples):
        self.buckets = {}
        for example in examples:
            bucket = int(math.log(max(row_length(example), 1)) / math.log(self.RATIO))
            self.buckets.setdefault((None, bucket), []).append(example)
            self.buckets.setdefault((example["prefix"], bucket), []).append(example)
        self.bucket_of = {
            id(example): int(math.log(max(row_length(example), 1)) / math.log(self.RATIO)) for example in examples
        }

    def pool(self, anchor, same_prefix):
        return self.buckets[(anchor["prefix"] if same_prefix else None, self.bucket_of[id(anchor)])]

    def partner(self, anchor, same_prefix, rng):
        """Another example of the anchor's bucket (and prefix): what a second data-parallel
        process trains on in the same step, so the processes' batches cost about the same and
        neither waits long for the other's gradients."""
        return rng.choice(self.pool(anchor, same_prefix))

    def batch(self, anchor, same_prefix, size, token_budget, rng):
        pool = self.pool(anchor, same_prefix)
        count = max(1, min(size, len(pool), token_budget // max(row_length(anchor), 1)))
        others = [example for example in rng.sample(pool, min(len(pool), count)) if example is not anchor]
        chunk = sorted([anchor] + others[: count - 1], key=row_length)
        # Trim from the long end until the padded batch fits the budget.
        while len(chunk) > 1 and len(chunk) * max(map(row_length, chunk)) > token_budget:
            chunk = chunk[:-1]
        return chunk


def forward_loss(torch, model, batcher, examples, keep=None, token_weights=None):
    """Per-target-token losses [n], the row of each, whether each was the argmax, the tokens
    the model processed and, with token_weights (one per vocabulary id), each loss's weight."""
    cached, start, inputs, labels = batcher.rows(examples, keep)
    past = None
    processed = inputs.numel()
    if cached:
        _, past = model.hidden(torch.tensor([cached]))
        processed += len(cached)
    hidden, _ = model.hidden(inputs, start=start, past=past)
    where = labels != -100
    logits = model.logits(hidden[where])
    losses = torch.nn.functional.cross_entropy(logits, labels[where], reduction="none")
    rows = where.nonzero()[:, 0]
    correct = logits.argmax(-1) == labels[where]
    weights = None if token_weights is None else token_weights[labels[where]]
    return losses, rows, correct, processed, weights


def evaluate(torch, model, batcher, examples, batch, token_budget):
    """Mean target loss and the fraction of examples whose whole target is the argmax (teacher
    forced), on whole prompts; that fraction by step type too."""
    model.eval()
    groups = {}
    for example in examples:
        groups.setdefault(example["prefix"], []).append(example)
    total, count, exact = 0.0, 0, 0
    by_step = {}
    with torch.no_grad():
        chunks = []
        for group in groups.values():
            group.sort(key=row_length)
            chunk = []
            for example in group:
                if chunk and (len(chunk) == batch or (len(chunk) + 1) * row_length(example) > token_budget):
                    chunks.append(chunk)
                    chunk = []
                chunk.append(example)
            chunks.append(chunk)
        for chunk in chunks:
                losses, rows, correct, _, _ = forward_loss(torch, model, batcher, chunk)
                total += losses.sum().item()
                count += losses.numel()
                wrong = torch.zeros(len(chunk), dtype=torch.long).index_add_(0, rows, (~correct).long())
                exact += int((wrong == 0).sum())
                for example, right in zip(chunk, (wrong == 0).tolist()):
                    tally = by_step.setdefault(example["step"], [0, 0])
                    tally[0] += int(right)
                    tally[1] += 1
    model.train()
    return total / max(count, 1), exact / len(examples), {name: right / seen for name, (right, seen) in sorted(by_step.items())}


def record_evaluation(directory, step, loss, exact, by_step):
    """Appends one held-out evaluation to evaluations.jsonl (exact match by step type)."""
    with open(os.path.join(directory, "evaluations.jsonl"), "a") as out:
        out.write(json.dumps({"step": step, "loss": loss, "exact": exact, "exactByStep": by_step}) + "\n")
    print(f"held-out exact by step at {step}: {json.dumps(by_step)}", file=sys.stderr)


def learning_rate(args, step, progress):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    cosine = 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))
    return args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * cosine)


def main(argv):
    args = parse_args(argv)
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    if args.processes == 1:
        train(0, args, None)
        return
    import tempfile

    import torch.multiprocessing

    # A file rendezvous: no port to pick (and race for) on a shared machine.
    with tempfile.TemporaryDirectory(prefix="hearth-micro-train-") as directory:
        rendezvous = "file://" + os.path.join(directory, "rendezvous")
        # spawn() stops the other processes when one fails, so an error in one never leaves the
        # other waiting for its gradients.
        torch.multiprocessing.spawn(train, args=(args, rendezvous), nprocs=args.processes, join=True)


class Gradients:
    """Averages the gradients of the data-parallel processes in one all-reduce, and shares the
    budget's progress (the first process's clock), so every process takes the same steps and
    phase and stops at the same step."""

    def __init__(self, torch, rank, world, rendezvous):
        import datetime

        self.torch, self.rank, self.world = torch, rank, world
        if world > 1:
            torch.distributed.init_process_group(
                "gloo", init_method=rendezvous, rank=rank, world_size=world, timeout=datetime.timedelta(minutes=10)
            )

    def same_start(self, model):
        if self.world == 1:
            return
        for parameter in model.parameters():
            self.torch.distributed.broadcast(parameter.data, 0)

    def progress(self, value):
        if self.world == 1:
            return value
        shared = self.torch.tensor([value if self.rank == 0 else 0.0], dtype=self.torch.float64)
        self.torch.distributed.all_reduce(shared)
        return shared.item()

    def average(self, parameters):
        if self.world == 1:
            return
        torch = self.torch
        grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in parameters]
        flat = torch.cat([grad.reshape(-1) for grad in grads])
        torch.distributed.all_reduce(flat)
        flat /= self.world
        offset = 0
        for parameter, grad in zip(parameters, grads):
            size = grad.numel()
            parameter.grad = flat[offset : offset + size].view_as(parameter)
            offset += size

    def close(self, model):
        """Checks that the processes still hold the same model (they must, having applied the
        same averaged gradients) before the first one saves it."""
        if self.world == 1:
            return
        torch = self.torch
        with torch.no_grad():
            checksum = torch.stack([p.double().sum() for p in model.parameters()])
        highest, lowest = checksum.clone(), checksum.clone()
        torch.distributed.all_reduce(highest, op=torch.distributed.ReduceOp.MAX)
        torch.distributed.all_reduce(lowest, op=torch.distributed.ReduceOp.MIN)
        torch.distributed.destroy_process_group()
        if not torch.equal(highest, lowest):
            raise SystemExit("the training processes ended with different weights: a bug in the trainer, not in the data")


def train(rank, args, rendezvous):
    import torch

    from model import Qwen3
    from weights import load_weights, save_weights

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    # The anchors (hence lengths and phase) are drawn alike everywhere, each process's batch
    # around it by its own generator; the model starts the same everywhere.
    rng = random.Random(args.seed)
    own_rng = random.Random(args.seed + 7919 * rank) if args.processes > 1 else rng
    gradients = Gradients(torch, rank, args.processes, rendezvous)
    lead = rank == 0

    prefixes, examples = load_dataset(args.data, train_only=True)
    if args.oversample:
        factors = {}
        for part in args.oversample.split(","):
            name, _, count = part.partition("=")
            if not count.isdigit() or int(count) < 1:
                raise SystemExit(f"--oversample {args.oversample}: write STEP=N with N a positive integer")
            factors[name.strip()] = int(count)
        unknown = sorted(set(factors) - {example["step"] for example in examples})
        if unknown:
            raise SystemExit(f"--oversample: no {', '.join(unknown)} examples in {args.data}")
        examples = [copy for example in examples for copy in [example] * factors.get(example["step"], 1)]
    eval_examples = []
    eval_batcher = None
    if args.eval:
        eval_prefixes, eval_examples = load_dataset(args.eval, train_only=False)
        eval_examples = random.Random(args.seed + 1).sample(eval_examples, min(args.eval_limit, len(eval_examples)))
    config = dict(DEFAULT_CONFIG)
    if args.config:
        config.update(json.loads(args.config))
    needed = largest_token(prefixes, examples) + 1
    if args.eval:
        needed = max(needed, largest_token(eval_prefixes, eval_examples) + 1)
    config["vocabularySize"] = args.vocab_size or needed
    if config["vocabularySize"] < needed:
        raise SystemExit(f"--vocab-size {args.vocab_size} is smaller than the data's largest token id + 1 ({needed})")
    longest = max(len(prefixes[e["prefix"]]) + len(e["suffix"]) + len(e["target"]) for e in examples)
    if longest > config["contextLength"]:
        raise SystemExit(f"an example is {longest} tokens, over contextLength {config['contextLength']}: raise it with --config")

    if args.init_from:
        model = load_weights(args.init_from)
        if model.config["vocabularySize"] != config["vocabularySize"]:
            raise SystemExit(
                f"--init-from {args.init_from} has {model.config['vocabularySize']} tokens, the data needs {config['vocabularySize']}"
            )
        config = dict(model.config)
    else:
        model = Qwen3(config)
        model.init_weights(args.seed)
    # Read once: --compose-numbers and --number-weight both find the number pieces in it.
    vocabulary_tokens = None
    if args.vocabulary:
        with open(args.vocabulary) as handle:
            vocabulary_tokens = json.load(handle)["tokens"]
    if args.tied_pieces:
        with open(args.tied_pieces) as handle:
            pairs = json.load(handle)
        bad = [pair for pair in pairs if max(pair) >= config["vocabularySize"]]
        if bad:
            raise SystemExit(f"--tied-pieces {args.tied_pieces}: ids {bad[0]} are outside the vocabulary ({config['vocabularySize']})")
        numbers = None
        if args.compose_numbers:
            if vocabulary_tokens is None:
                raise SystemExit("--compose-numbers needs --vocabulary (the vocabulary JSON, to read each number's digits)")
            numbers = [
                vocabulary_tokens[plain] if vocabulary_tokens[plain].isascii() and vocabulary_tokens[plain].isdigit() else None
                for _, plain in pairs
            ]
            if not any(numbers):
                raise SystemExit(f"--compose-numbers: no tied pair in {args.tied_pieces} is a number piece of {args.vocabulary}")
        model.tie_pieces(
            pairs, args.seed, trained=bool(args.init_from), numbers=numbers, free_scale=args.number_free_scale
        )
    elif args.compose_numbers:
        raise SystemExit("--compose-numbers composes the tied number rows: give --tied-pieces too")
    gradients.same_start(model)
    token_weights = None
    if args.number_weight != 1.0:
        if vocabulary_tokens is None:
            raise SystemExit("--number-weight needs --vocabulary (the vocabulary JSON, to find the number pieces)")
        token_weights = torch.ones(config["vocabularySize"])
        number_ids = [index for index, token in enumerate(vocabulary_tokens) if token.lstrip("\u2581").isdigit()]
        token_weights[number_ids] = args.number_weight
    batcher = Batcher(torch, prefixes)
    if args.eval:
        eval_batcher = Batcher(torch, eval_prefixes)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr,
        betas=(0.9, 0.95),
    )
    pools = LengthPools(examples)
    steps_seen = sorted({e["step"] for e in examples} | {"route", "call", "answer", "verdict", "direct", "retry"})

    if not lead:
        # The other processes only compute gradients: the first one evaluates, logs and saves.
        eval_examples = []
    os.makedirs(args.out, exist_ok=True)
    if lead and os.path.exists(os.path.join(args.out, "evaluations.jsonl")):
        os.remove(os.path.join(args.out, "evaluations.jsonl"))
    curve_path = os.path.join(args.out, "curve.csv") if lead else os.devnull
    curve_file = open(curve_path, "w", newline="")
    curve = csv.writer(curve_file)
    curve.writerow(
        ["step", "seconds", "cpu_seconds", "phase", "lr", "train_loss", "eval_loss", "eval_exact", "tokens_per_second"]
        + [f"loss_{name}" for name in steps_seen]
    )
    if lead:
        print(
            f"model: {model.parameter_count():,} parameters, config {json.dumps(config)}; "
            f"{len(examples)} training examples over {len(prefixes)} prefixes"
            + (f"; {args.processes} processes of {args.batch} examples a step" if args.processes > 1 else ""),
            file=sys.stderr,
        )

    budget_seconds = args.minutes * 60 if args.minutes is not None else None
    began = time.time()
    # CPU seconds too: on a shared machine wall time says more about the neighbours.
    cpu_began = time.process_time()
    step = 0
    window_loss, window_count, window_tokens = 0.0, 0, 0
    window_steps = {name: [0.0, 0] for name in steps_seen}
    eval_loss = eval_exact = ""
    window_began = began

    def progress():
        parts = []
        if args.steps is not None:
            parts.append(step / args.steps)
        if budget_seconds is not None:
            parts.append((time.time() - began) / budget_seconds)
        return max(parts)

    while True:
        done = gradients.progress(progress())
        if done >= 1.0:
            break
        if done < args.short_fraction:
            phase, keep = "short", 0
        elif done < args.short_fraction + args.ramp_fraction:
            phase = "ramp"
            share = (done - args.short_fraction) / args.ramp_fraction
        else:
            phase, keep = "whole", None
        anchor = rng.choice(examples)
        if phase == "ramp":
            keep = max(1, round(share * len(prefixes[anchor["prefix"]])))
        if rank:
            anchor = pools.partner(anchor, keep != 0, own_rng)
        chunk = pools.batch(anchor, keep != 0, args.batch, args.batch_tokens, own_rng)
        lr = learning_rate(args, step, done)
        for group in optimizer.param_groups:
            group["lr"] = lr
        losses, rows, _, processed, weights = forward_loss(torch, model, batcher, chunk, keep, token_weights)
        loss = losses.mean() if weights is None else (losses * weights).sum() / weights.sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        gradients.average(list(model.parameters()))
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        value = loss.item()
        if not math.isfinite(value):
            raise SystemExit(f"step {step}: loss is {value}; lower --lr")
        window_loss += value
        window_count += 1
        # The other processes' batches are as long on average.
        window_tokens += processed * args.processes
        detached = losses.detach()
        for row, example in enumerate(chunk):
            mine = detached[rows == row]
            window_steps[example["step"]][0] += mine.sum().item()
            window_steps[example["step"]][1] += mine.numel()
        evaluate_now = eval_examples and (step % args.eval_every == 0)
        if evaluate_now:
            evaluation_began = time.time()
            eval_loss, eval_exact, by_step = evaluate(
                torch, model, eval_batcher, eval_examples, args.batch, args.batch_tokens
            )
            record_evaluation(args.out, step, eval_loss, eval_exact, by_step)
            save_weights(model, args.out)
            # Throughput counts training only.
            window_began += time.time() - evaluation_began
        if lead and (step % args.log_every == 0 or evaluate_now or progress() >= 1.0):
            now = time.time()
            rate = window_tokens / max(now - window_began, 1e-9)
            per_step = [
                f"{total / count:.4f}" if count else "" for total, count in (window_steps[name] for name in steps_seen)
            ]
            curve.writerow(
                [
                    step,
                    f"{now - began:.1f}",
                    f"{time.process_time() - cpu_began:.1f}",
                    phase,
                    f"{lr:.6f}",
                    f"{window_loss / window_count:.4f}",
                    f"{eval_loss:.4f}" if eval_loss != "" else "",
                    f"{eval_exact:.3f}" if eval_exact != "" else "",
                    f"{rate:.0f}",
                ]
                + per_step
            )
            curve_file.flush()
            print(
                f"step {step} {now - began:.0f}s {phase} lr {lr:.5f} "
                f"loss {window_loss / window_count:.4f} eval {eval_loss if eval_loss == '' else f'{eval_loss:.4f}'} "
                f"exact {eval_exact} {rate:.0f} tok/s",
                file=sys.stderr,
            )
            window_loss, window_count, window_tokens, window_began = 0.0, 0, 0, now
            window_steps = {name: [0.0, 0] for name in steps_seen}
    if eval_examples:
        eval_loss, eval_exact, by_step = evaluate(
            torch, model, eval_batcher, eval_examples, args.batch, args.batch_tokens
        )
        record_evaluation(args.out, step, eval_loss, eval_exact, by_step)
        curve.writerow([step, f"{time.time() - began:.1f}", f"{time.process_time() - cpu_began:.1f}", "final", "", "", f"{eval_loss:.4f}", f"{eval_exact:.3f}", ""])
        print(f"final eval loss {eval_loss:.4f} exact {eval_exact:.3f}", file=sys.stderr)
    curve_file.close()
    gradients.close(model)
    if lead:
        save_weights(model, args.out)
        print(f"wrote {args.out}/weights.json, weights.bin, curve.csv after {step} steps", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main(sys.argv[1:])
