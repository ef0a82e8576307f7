"""A Qwen3 decoder computed the way llama.cpp computes it (src/models/qwen3.cpp in
ggml-org/llama.cpp), so weights trained here give the same next-token probabilities once
written into a GGUF and run by llama.cpp:

  x = token_embd[tokens]
  per block:  h = x + attn_output(attention(rms_norm(x) * attn_norm))
              x = h + ffn_down(silu(ffn_gate(n)) * ffn_up(n)),  n = rms_norm(h) * ffn_norm
  logits = (rms_norm(x) * output_norm) @ token_embd^T      (tied output)

attention: q/k are RMS-normalised per head over head_dim (attn_q_norm / attn_k_norm) BEFORE
NEOX-style RoPE; grouped-query heads (query head i reads key/value head i // group, as ggml's
broadcasting matmul does); causal softmax scaled 1/sqrt(head_dim); no biases anywhere.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

# The exchange format's config keys (the TypeScript writer's ModelShape field names).
CONFIG_KEYS = (
    "vocabularySize",
    "embeddingLength",
    "blockCount",
    "feedForwardLength",
    "headCount",
    "headCountKv",
    "headDim",
    "contextLength",
    "ropeFreqBase",
    "rmsEpsilon",
    "tiedEmbeddings",
)


def check_config(config):
    missing = [key for key in CONFIG_KEYS if key not in config]
    if missing:
        raise ValueError(f"model config lacks {', '.join(missing)}; give every one of {', '.join(CONFIG_KEYS)}")
    if config["headCount"] % config["headCountKv"] != 0:
        raise ValueError(
            f"headCount ({config['headCount']}) must be a multiple of headCountKv ({config['headCountKv']})"
        )
    if config["headDim"] % 2 != 0:
        raise ValueError(f"headDim ({config['headDim']}) must be even for RoPE")
    if not config["tiedEmbeddings"]:
        raise ValueError("only tied embeddings are supported (the output is token_embd)")
    return config


def rms_norm(x, weight, eps):
    # ggml_rms_norm: x / sqrt(mean(x^2) + eps), then the learned scale.
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


class Rope:
    """NEOX rotation (llama.cpp LLAMA_ROPE_TYPE_NEOX): dimension i pairs with i + head_dim/2,
    angle pos * base^(-2i/head_dim)."""

    def __init__(self, head_dim, base):
        self.inverse = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
        self.cache = {}

    def tables(self, start, length):
        key = (start, length)
        if key not in self.cache:
            positions = torch.arange(start, start + length, dtype=torch.float64)
            angles = torch.outer(positions, self.inverse)
            self.cache[key] = (angles.cos().float(), angles.sin().float())
            if len(self.cache) > 256:
                self.cache.pop(next(iter(self.cache)))
        return self.cache[key]

    def apply(self, x, start):
        # x: [batch, heads, length, head_dim]
        cos, sin = self.tables(start, x.shape[-2])
        half = x.shape[-1] // 2
        first, second = x[..., :half], x[..., half:]
        return torch.cat((first * cos - second * sin, second * cos + first * sin), dim=-1)


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        d, hd = config["embeddingLength"], config["headDim"]
        self.heads, self.kv_heads, self.head_dim = config["headCount"], config["headCountKv"], hd
        self.eps = config["rmsEpsilon"]
        self.attn_norm = nn.Parameter(torch.ones(d))
        self.attn_q = nn.Linear(d, self.heads * hd, bias=False)
        self.attn_k = nn.Linear(d, self.kv_heads * hd, bias=False)
        self.attn_v = nn.Linear(d, self.kv_heads * hd, bias=False)
        self.attn_output = nn.Linear(self.heads * hd, d, bias=False)
        self.attn_q_norm = nn.Parameter(torch.ones(hd))
        self.attn_k_norm = nn.Parameter(torch.ones(hd))
        self.ffn_norm = nn.Parameter(torch.ones(d))
        ff = config["feedForwardLength"]
        self.ffn_gate = nn.Linear(d, ff, bias=False)
        self.ffn_up = nn.Linear(d, ff, bias=False)
        self.ffn_down = nn.Linear(ff, d, bias=False)

    def forward(self, x, rope, start, past):
        """x: [batch, length, d]; past: None or (keys, values) [batch|1, kv_heads, past_length,
        head_dim] that every row attends to before its own tokens (a shared prompt prefix)."""
        batch, length, _ = x.shape
        hd = self.head_dim
        n = rms_norm(x, self.attn_norm, self.eps)
        q = self.attn_q(n).view(batch, length, self.heads, hd).transpose(1, 2)
        k = self.attn_k(n).view(batch, length, self.kv_heads, hd).transpose(1, 2)
        v = self.attn_v(n).view(batch, length, self.kv_heads, hd).transpose(1, 2)
        q = rope.apply(rms_norm(q, self.attn_q_norm, self.eps), start)
        k = rope.apply(rms_norm(k, self.attn_k_norm, self.eps), start)
        present = (k, v)
        if past is not None:
            past_k, past_v = past
            if past_k.shape[0] != batch:
                past_k = past_k.expand(batch, -1, -1, -1)
                past_v = past_v.expand(batch, -1, -1, -1)
            k = torch.cat((past_k, k), dim=2)
            v = torch.cat((past_v, v), dim=2)
        group = self.heads // self.kv_heads
        if group > 1:
            k = k.repeat_interleave(group, dim=1)
            v = v.repeat_interleave(group, dim=1)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(hd))
        total = k.shape[2]
        offset = total - length
        mask = torch.ones(length, total, dtype=torch.bool).triu(offset + 1)
        scores = scores.masked_fill(mask, float("-inf"))
        attended = torch.matmul(torch.softmax(scores, dim=-1), v)
        attended = attended.transpose(1, 2).reshape(batch, length, self.heads * hd)
        h = x + self.attn_output(attended)
        n = rms_norm(h, self.ffn_norm, self.eps)
        return h + self.ffn_down(F.silu(self.ffn_gate(n)) * self.ffn_up(n)), present


class PieceTies(nn.Module):
    """Ties each piece that exists with and without the word-boundary mark ("▁17" and "17",
    "▁Tokyo" and "Tokyo") to one shared row: e(p) = shared[p], e(▁p) = shared[p] + space.

    A question says "What is ▁17 ▁* ▁23?" and the forced call must write `"17 * 23"`, the first
    number without its mark: copying it means mapping ▁17 to 17. With a free row per piece that
    mapping has to be learned a thousand times over, once for every number, from the few
    examples each number gets (the untied model copied about a third of its expressions right,
    often writing the marked twin). Tied, the identity is one row and the mark is one shared
    direction, so a copy learned for some numbers holds for all. Training-time only: the export
    writes the effective rows, a plain Qwen3 embedding.

    With `numbers` (each pair's digit string, or None), a number's shared row is composed from
    its digits as well: e(391) = ones[1] + tens[9] + hundreds[3] + length[3] + free_scale * free,
    places counted from the right so "91" and "391" share their ones and tens rows. Each of the
    1,110 number pieces (0-9, 00-99, 000-999) otherwise has its own row, trained only by the
    examples that contain it: in a 69,006-example run "391" was a target 10 times and 431
    numbers 10 times or fewer, and the model that copied 17 * 23 into its call then wrote the
    result 391 as a word. Composed, every number trains the 33 rows every other number uses,
    and since the tied output scores a number by a sum over its places, writing back a number
    read in the prompt is a per-place copy. The free part (scaled down, so Adam moves it a tenth
    as fast) keeps room for what a number means beyond its digits (an hour, a year).
    """

    def __init__(self, pairs, d, numbers=None, free_scale=0.1):
        super().__init__()
        spaced = [pair[0] for pair in pairs]
        plain = [pair[1] for pair in pairs]
        count = len(pairs)
        self.register_buffer("ids", torch.tensor(spaced + plain, dtype=torch.long))
        self.register_buffer("rows", torch.tensor(list(range(count)) * 2, dtype=torch.long))
        self.register_buffer("marked", torch.tensor([1.0] * count + [0.0] * count).unsqueeze(1))
        self.shared = nn.Parameter(torch.zeros(count, d))
        self.space = nn.Parameter(torch.zeros(d))
        self.digits = None
        numbered = [(row, text) for row, text in enumerate(numbers or []) if text]
        if not numbered:
            return
        longest = max(len(text) for _, text in numbered)
        # Rows 0..10*longest-1: digit d at place k (0 = ones) is row 10*k + d; then one row per length.
        parts, mask = [], []
        for _, text in numbered:
            places = [10 * place + int(digit) for place, digit in enumerate(reversed(text))]
            length = 10 * longest + len(text) - 1
            padding = longest - len(text)
            parts.append(places + [length] + [0] * padding)
            mask.append([1.0] * (len(places) + 1) + [0.0] * padding)
        self.register_buffer("number_rows", torch.tensor([row for row, _ in numbered], dtype=torch.long))
        self.register_buffer("number_parts", torch.tensor(parts, dtype=torch.long))
        self.register_buffer("number_mask", torch.tensor(mask).unsqueeze(2))
        scale = torch.ones(count, 1)
        scale[self.number_rows] = free_scale
        self.register_buffer("row_scale", scale)
        self.digits = nn.Parameter(torch.zeros(10 * longest + longest, d))

    def composed(self):
        """Each number row's digit part [numbers, d]."""
        return (self.digits[self.number_parts] * self.number_mask).sum(1)

    def shared_rows(self):
        if self.digits is None:
            return self.shared
        return (self.shared * self.row_scale).index_add(0, self.number_rows, self.composed())

    def start_numbers(self, target, generator=None):
        """Sets the digit rows and free parts so the number rows equal `target` [numbers, d] as
        nearly as digits can (least squares), the rest going to the free part: exact, so a
        trained model goes on where it stopped. Without a target the digit rows start random,
        each place a third of a row's scale, and the free parts at zero."""
        if self.digits is None:
            return
        with torch.no_grad():
            if target is None:
                self.digits.copy_(torch.randn(self.digits.shape, generator=generator) * 0.02 / math.sqrt(3))
                self.shared[self.number_rows] = 0.0
                return
            design = torch.zeros(len(self.number_rows), self.digits.shape[0], dtype=torch.float64)
            design.scatter_add_(1, self.number_parts, self.number_mask.squeeze(2).double())
            solution = torch.linalg.lstsq(design, target.double()).solution
            self.digits.copy_(solution.float())
            residual = target - self.composed()
            self.shared[self.number_rows] = residual / self.row_scale[self.number_rows]

    def tied_weight(self, weight):
        """The embedding matrix with the tied rows replaced (their free rows are held at zero)."""
        shared = self.shared_rows()
        extra = shared[self.rows] + self.marked * self.space
        return weight.index_add(0, self.ids, extra)


class Qwen3(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = check_config(dict(config))
        d = config["embeddingLength"]
        self.token_embd = nn.Embedding(config["vocabularySize"], d)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config["blockCount"]))
        self.output_norm = nn.Parameter(torch.ones(d))
        self.rope = Rope(config["headDim"], config["ropeFreqBase"])
        self.ties = None

    def tie_pieces(self, pairs, seed, trained=False, numbers=None, free_scale=0.1):
        """Ties (marked id, plain id) pairs (see PieceTies), starting each shared row from the
        plain piece's row, so a freshly initialised model keeps its scale. For trained weights
        (trained=True) the mark starts as the pairs' mean difference: exactly the mark of a
        model trained tied, which then goes on where it stopped. `numbers` (each pair's digit
        string or None) composes the number rows from digit rows (PieceTies)."""
        ties = PieceTies(pairs, self.config["embeddingLength"], numbers, free_scale)
        with torch.no_grad():
            marked, plain = ties.ids[: len(pairs)], ties.ids[len(pairs) :]
            ties.shared.copy_(self.token_embd.weight[plain])
            if trained:
                ties.space.copy_((self.token_embd.weight[marked] - self.token_embd.weight[plain]).mean(0))
                if ties.digits is not None:
                    # The mark is one mean; what a pair's plain row leaves of it is the number's row.
                    ties.start_numbers(self.token_embd.weight[plain][ties.number_rows])
            else:
                generator = torch.Generator().manual_seed(seed)
                ties.space.copy_(torch.randn(ties.space.shape, generator=generator) * 0.02)
                ties.start_numbers(None, generator)
            self.token_embd.weight[ties.ids] = 0.0
        mask = torch.ones(self.config["vocabularySize"], 1)
        mask[ties.ids] = 0.0
        # The tied pieces' own rows stay zero: no gradient reaches them (AdamW then leaves them).
        self.token_embd.weight.register_hook(lambda grad: grad * mask)
        self.ties = ties

    def embedding_weight(self):
        weight = self.token_embd.weight
        return weight if self.ties is None else self.ties.tied_weight(weight)

    def init_weights(self, seed, std=0.02, norm_jitter=0.0):
        """Training starts from std 0.02 and unit norms; a parity test asks for larger weights
        and jittered norms, so a misplaced norm or a wrong scale changes the probabilities."""
        generator = torch.Generator().manual_seed(seed)
        residual_scale = 1.0 / math.sqrt(2 * len(self.blocks))
        with torch.no_grad():
            for name, parameter in self.named_parameters():
                if parameter.dim() == 1:
                    parameter.copy_(1.0 + norm_jitter * torch.randn(parameter.shape, generator=generator))
                    continue
                scale = std
                if name.endswith("attn_output.weight") or name.endswith("ffn_down.weight"):
                    scale *= residual_scale
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * scale)

    def hidden(self, tokens, start=0, past=None):
        """Final-normed hidden states [batch, length, d] and each block's (keys, values)."""
        x = F.embedding(tokens, self.embedding_weight())
        presents = []
        for index, block in enumerate(self.blocks):
            x, present = block(x, self.rope, start, None if past is None else past[index])
            presents.append(present)
        return rms_norm(x, self.output_norm, self.config["rmsEpsilon"]), presents

    def logits(self, hidden):
        return torch.matmul(hidden, self.embedding_weight().t())

    def gguf_tensors(self):
        """(GGUF tensor name, PyTorch tensor [out, in]) in the order the exchange format lists them."""
        # Tied pieces export their effective rows (then a computed tensor, so only for writing).
        named = [("token_embd.weight", self.embedding_weight())]
        for index, block in enumerate(self.blocks):
            prefix = f"blk.{index}"
            for part in (
                "attn_norm",
                "attn_q",
                "attn_k",
                "attn_v",
                "attn_output",
                "attn_q_norm",
                "attn_k_norm",
                "ffn_norm",
                "ffn_gate",
                "ffn_up",
                "ffn_down",
            ):
                value = getattr(block, part)
                named.append((f"{prefix}.{part}.weight", value if isinstance(value, nn.Parameter) else value.weight))
        named.append(("output_norm.weight", self.output_norm))
        return named

    def parameter_count(self):
        return sum(parameter.numel() for parameter in self.parameters())
