#!/usr/bin/env python3
"""Makes the PyTorch fixtures of tests/lang/files_pytorch.lx (run from this directory with
/usr/bin/python3; needs torch and numpy, not the safetensors package: the files are written here
from the format's specification).

  pytorch_cnn.safetensors     state_dict of Conv2d -> BatchNorm2d -> ReLU -> ConvTranspose2d -> Flatten -> Linear
  pytorch_cnn_io.safetensors  x (2, 1, 6, 6) and torch's output y (2, 3) in eval mode
  pytorch_emb.safetensors     state_dict of Embedding(5, 4) -> LayerNorm(4) -> Linear(4, 2)
  pytorch_emb_io.safetensors  the indices (0-based, as int64) and torch's output (3, 2)
"""
import json
import struct

import numpy as np
import torch


def save_safetensors(path, tensors):
    """The format: 8-byte little-endian header length, the JSON header (tensors by name with dtype,
    shape and [begin, end) offsets into the data), padded with spaces to a multiple of 8, the data."""
    codes = {np.dtype("float32"): "F32", np.dtype("float64"): "F64", np.dtype("int64"): "I64"}
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name].detach().cpu().numpy())
        data = a.tobytes()  # row-major, little-endian on this machine
        header[name] = {"dtype": codes[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


torch.manual_seed(0)
cnn = torch.nn.Sequential(
    torch.nn.Conv2d(1, 2, 3),
    torch.nn.BatchNorm2d(2),
    torch.nn.ReLU(),
    torch.nn.ConvTranspose2d(2, 1, 3),
    torch.nn.Flatten(),
    torch.nn.Linear(36, 3),
)
with torch.no_grad():  # running statistics that are not the defaults, so using them is checked
    cnn[1].running_mean.copy_(torch.tensor([0.1, -0.2]))
    cnn[1].running_var.copy_(torch.tensor([0.5, 2.0]))
    cnn[1].weight.copy_(torch.tensor([1.5, 0.7]))
    cnn[1].bias.copy_(torch.tensor([0.3, -0.1]))
cnn.eval()
x = torch.randn(2, 1, 6, 6)
with torch.no_grad():
    y = cnn(x)
save_safetensors("pytorch_cnn.safetensors", cnn.state_dict())
save_safetensors("pytorch_cnn_io.safetensors", {"x": x, "y": y})

emb = torch.nn.Sequential(torch.nn.Embedding(5, 4), torch.nn.LayerNorm(4), torch.nn.Linear(4, 2))
with torch.no_grad():
    emb[1].weight.copy_(torch.tensor([1.0, 2.0, 0.5, -1.0]))
    emb[1].bias.copy_(torch.tensor([0.1, 0.2, 0.3, 0.4]))
emb.eval()
idx = torch.tensor([0, 4, 2])
with torch.no_grad():
    out = emb(idx)
save_safetensors("pytorch_emb.safetensors", emb.state_dict())
save_safetensors("pytorch_emb_io.safetensors", {"idx": idx, "y": out})
