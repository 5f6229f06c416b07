"""PyTorch's numbers for the cases theta's batch-normalization tests compute by hand.

Run: /usr/bin/python3 bench/pytorch/batchnorm_check.py
1. nn.BatchNorm1d(2) in training mode on the batch of BatchNormTrainingTest, three steps: the running mean and
   (unbiased) running variance it prints are the test's expected numbers.
2. nn.BatchNorm2d(3) on a random [4, 3, 5, 5] batch: y, and dx, dgamma, dbeta of sum(y * dy), against the same
   formulas in float64 numpy (theta's composition), as the largest absolute differences.
"""
import numpy as np
import torch

torch.set_default_dtype(torch.float64)

bn = torch.nn.BatchNorm1d(2)  # momentum 0.1, eps 1e-5
x = torch.tensor([[1.0, 2.0], [3.0, 2.0], [5.0, 4.0], [7.0, 8.0]])
bn.train()
for _ in range(3):
    bn(x)
print("running_mean after 3 steps:", bn.running_mean.tolist())
print("running_var after 3 steps:", bn.running_var.tolist())

rng = np.random.default_rng(3)
x = rng.uniform(-3, 3, (4, 3, 5, 5))
dy = rng.uniform(-1, 1, x.shape)
gamma = rng.uniform(-2, 2, 3)
beta = rng.uniform(-2, 2, 3)
bn2 = torch.nn.BatchNorm2d(3)
with torch.no_grad():
    bn2.weight.copy_(torch.tensor(gamma))
    bn2.bias.copy_(torch.tensor(beta))
xt = torch.tensor(x, requires_grad=True)
y = bn2(xt)
(y * torch.tensor(dy)).sum().backward()

axes = (0, 2, 3)
mean = x.mean(axis=axes, keepdims=True)
centred = x - mean
var = (centred ** 2).mean(axis=axes, keepdims=True)
scale = gamma.reshape(1, 3, 1, 1) / np.sqrt(var + 1e-5)
ours = centred * scale + beta.reshape(1, 3, 1, 1)
m = x.size / 3
xhat = centred / np.sqrt(var + 1e-5)
dbeta = dy.sum(axis=axes)
dgamma = (dy * xhat).sum(axis=axes)
dx = scale * (dy - dbeta.reshape(1, 3, 1, 1) / m - xhat * dgamma.reshape(1, 3, 1, 1) / m)
print("max |y - torch|:", np.abs(ours - y.detach().numpy()).max())
print("max |dx - torch|:", np.abs(dx - xt.grad.numpy()).max())
print("max |dgamma - torch|:", np.abs(dgamma - bn2.weight.grad.numpy()).max())
print("max |dbeta - torch|:", np.abs(dbeta - bn2.bias.grad.numpy()).max())
print("running_var (unbiased) - torch:", np.abs(0.9 + 0.1 * var.reshape(3) * m / (m - 1) - bn2.running_var.numpy()).max())
