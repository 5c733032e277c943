"""The max-pooling CNN of CompareCommandTests, as PyTorch exports it (needs torch, onnx, onnxruntime).

cnn_maxpool.onnx: conv 3x3 (1 -> 4, padding 1), batch norm, ReLU, max pool 2x2, conv 3x3 stride 2 (4 -> 8,
padding 1), ReLU, flatten, dense 128 -> 10, on a [1, 1, 14, 14] input; random weights (seed 0) and batch-norm
statistics, eval mode, opset 17. cnn_maxpool_eps0.005.vnnlib: robustness of the network's class at a seeded
random image within 0.005 (clipped to [0, 1]).
"""
import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 4 * 4, 10))
model.eval()
bn = model[1]
bn.running_mean.uniform_(-0.2, 0.2)
bn.running_var.uniform_(0.5, 1.5)
bn.weight.data.uniform_(0.5, 1.5)
bn.bias.data.uniform_(-0.1, 0.1)
x = torch.rand(1, 1, 14, 14)
torch.onnx.export(model, x, "cnn_maxpool.onnx", opset_version=17, input_names=["input"], output_names=["output"],
                  dynamo=False)
y = model(x).detach().numpy()[0]
assert np.abs(ort.InferenceSession("cnn_maxpool.onnx").run(None, {"input": x.numpy()})[0][0] - y).max() < 1e-6
c, eps, xs = int(np.argmax(y)), 0.005, x.numpy().ravel()
with open("cnn_maxpool_eps0.005.vnnlib", "w") as f:
    f.writelines(f"(declare-const X_{i} Real)\n" for i in range(xs.size))
    f.writelines(f"(declare-const Y_{i} Real)\n" for i in range(10))
    for i, v in enumerate(xs):
        f.write(f"(assert (>= X_{i} {max(0.0, v - eps):.8f}))\n(assert (<= X_{i} {min(1.0, v + eps):.8f}))\n")
    f.write("(assert (or\n" + "".join(f"  (and (>= Y_{j} Y_{c}))\n" for j in range(10) if j != c) + "))\n")
