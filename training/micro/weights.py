"""The weights exchange format read by the TypeScript GGUF exporter:
<dir>/weights.json = {"config": {...ModelShape fields}, "tensors": [{"name", "shape", "offset"}]}
<dir>/weights.bin  = each tensor's little-endian float32 data at its offset.
"shape" is PyTorch's row-major [out, in]; GGUF's ne is its reverse."""

import argparse
import json
import os
import sys

import numpy as np
import torch

from model import CONFIG_KEYS, Qwen3


def save_weights(model, directory):
    os.makedirs(directory, exist_ok=True)
    tensors = []
    offset = 0
    # Written beside the target and renamed, so a reader never sees half a file.
    partial_bin = os.path.join(directory, "weights.bin.partial")
    with open(partial_bin, "wb") as out:
        for name, tensor in model.gguf_tensors():
            data = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4", copy=False)
            out.write(data.tobytes())
            tensors.append({"name": name, "shape": list(data.shape), "offset": offset})
            offset += data.nbytes
    config = {key: model.config[key] for key in CONFIG_KEYS}
    partial_json = os.path.join(directory, "weights.json.partial")
    with open(partial_json, "w") as out:
        json.dump({"config": config, "tensors": tensors}, out, indent=1)
    os.replace(partial_bin, os.path.join(directory, "weights.bin"))
    os.replace(partial_json, os.path.join(directory, "weights.json"))


def load_weights(directory):
    json_path = os.path.join(directory, "weights.json")
    bin_path = os.path.join(directory, "weights.bin")
    for path in (json_path, bin_path):
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path} not found: train first (train.py --out {directory})")
    with open(json_path) as handle:
        exchange = json.load(handle)
    model = Qwen3(exchange["config"])
    raw = np.fromfile(bin_path, dtype="<f4")
    by_name = {entry["name"]: entry for entry in exchange["tensors"]}
    with torch.no_grad():
        for name, tensor in model.gguf_tensors():
            entry = by_name.get(name)
            if entry is None:
                raise ValueError(f"{json_path} lacks tensor {name}")
            if list(tensor.shape) != entry["shape"]:
                raise ValueError(f"{name}: shape {entry['shape']} in {json_path}, model expects {list(tensor.shape)}")
            start = entry["offset"] // 4
            count = tensor.numel()
            if start + count > raw.size:
                raise ValueError(f"{bin_path} is shorter than {json_path} says ({name})")
            tensor.copy_(torch.from_numpy(raw[start : start + count].copy()).view(tensor.shape))
    return model


def main():
    parser = argparse.ArgumentParser(description="Writes a randomly initialised model in the exchange format.")
    parser.add_argument("--init", required=True, help="JSON model config (all exchange config fields)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--std", type=float, default=0.02)
    parser.add_argument("--norm-jitter", type=float, default=0.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = Qwen3(json.loads(args.init))
    model.init_weights(args.seed, std=args.std, norm_jitter=args.norm_jitter)
    save_weights(model, args.out)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
