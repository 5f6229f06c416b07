#!/usr/bin/python3
"""PyTorch CPU reference timing for theta: training iterations of nanoGPT's GPT on tiny Shakespeare, by character.

Usage: /usr/bin/python3 gpt_iter.py [--iters 30] [--warmup 5] [--threads 2] [--layers 4] [--heads 4]
           [--embedding 128] [--block 64] [--batch 12] [--vocab 65] [--no-bias] [--init-std 0.02] [--seed 0]
           [--data PATH]
       /usr/bin/python3 gpt_iter.py --train-iters 2000 [--eval-batches 200] [...]

The model is nanoGPT's GPT (karpathy/nanoGPT, model.py) without dropout: token embedding wte [V, C] and learned
positions wpe [block, C], both N(0, 0.02); L blocks of x + attn(ln_1(x)), x + mlp(ln_2(x)) with LayerNorm eps 1e-5,
causal self-attention (c_attn C -> 3C, H heads, softmax(QK^T / sqrt(C/H)) under a causal mask, c_proj C -> C) and an
MLP (c_fc C -> 4C, exact GELU, c_proj 4C -> C); final LayerNorm ln_f; lm_head tied to wte. Linear weights N(0, 0.02),
both c_proj weights N(0, 0.02 / sqrt(2L)), biases zero (--no-bias: no biases in Linear and LayerNorm; --init-std s:
s in place of 0.02 everywhere, theta's hypothesis.init-std). Loss: cross-entropy over all B*T positions. PyTorch
1.13 has no scaled_dot_product_attention: attention is nanoGPT's explicit fallback (masked_fill with -inf, softmax,
matmul).

Data as nanoGPT's data/shakespeare_char: the vocabulary is the sorted characters of the whole text (65), train is
the first 90%, validation the rest; a batch is B random windows of block + 1 characters (get_batch), drawn with a
seeded torch.Generator.

Optimizer as nanoGPT's configure_optimizers: AdamW(lr 1e-3, betas (0.9, 0.99), eps 1e-8) with weight decay 0.1 on
every parameter of rank >= 2 and none on rank < 2 (biases, LayerNorm weights). nanoGPT's current code decides by
rank alone, so the embeddings (wte, tied to lm_head, and wpe) are decayed; its older code kept a blacklist that
excluded them. Gradients are clipped to norm 1.0.

Timing mode (--iters N, default): constant lr 1e-3; W warm-up iterations, then N timed ones. An iteration is
get_batch, forward, backward, clip, step, zero_grad. GFLOP/s uses nanoGPT's estimate_mfu (from the PaLM paper,
appendix B): 6*N + 12*L*C*T FLOPs per token (forward and backward), N = parameters less wpe (nanoGPT's
get_num_params, whose wte doubles as lm_head), times B*T tokens per iteration.

Training mode (--train-iters N): nanoGPT's shakespeare_char schedule, linear warm-up over 100 iterations to lr 1e-3,
then cosine decay to 1e-4 at iteration N; the validation loss is the mean over --eval-batches random batches of
the validation split (model.eval(), no_grad), reported every N/4 iterations and at the end.

Last line is JSON with the numbers printed above it.
"""
import argparse
import json
import math
import os
import resource
import statistics
import time
from pathlib import Path


def _threads_option():
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--threads", type=int, default=2)
    return ap.parse_known_args()[0].threads


# Debian's torch calls the system BLAS (OpenBLAS, pthreads), which takes its thread count from the environment when
# it is loaded, not from torch.set_num_threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(_threads_option()))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "examples/data/tinyshakespeare/input.txt"


class LayerNorm(nn.Module):
    """nanoGPT's LayerNorm: eps 1e-5, the bias optional."""

    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, c, heads, block, bias):
        super().__init__()
        self.c_attn = nn.Linear(c, 3 * c, bias=bias)
        self.c_proj = nn.Linear(c, c, bias=bias)
        self.heads = heads
        self.register_buffer("mask", torch.tril(torch.ones(block, block)).view(1, 1, block, block))

    def forward(self, x):
        b, t, c = x.size()
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, c, bias):
        super().__init__()
        self.c_fc = nn.Linear(c, 4 * c, bias=bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * c, c, bias=bias)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, c, heads, block, bias):
        super().__init__()
        self.ln_1 = LayerNorm(c, bias)
        self.attn = CausalSelfAttention(c, heads, block, bias)
        self.ln_2 = LayerNorm(c, bias)
        self.mlp = MLP(c, bias)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab, block, layers, heads, c, bias, init_std=0.02):
        super().__init__()
        self.block = block
        self.init_std = init_std
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab, c),
            wpe=nn.Embedding(block, c),
            h=nn.ModuleList([Block(c, heads, block, bias) for _ in range(layers)]),
            ln_f=LayerNorm(c, bias)))
        self.lm_head = nn.Linear(c, vocab, bias=False)
        self.transformer.wte.weight = self.lm_head.weight
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=init_std / math.sqrt(2 * layers))

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=self.init_std)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=self.init_std)

    def num_params(self, non_embedding=True):
        """nanoGPT's get_num_params: wte is counted once (it is lm_head too); non_embedding drops wpe."""
        n = sum(p.numel() for p in self.parameters())
        return n - self.transformer.wpe.weight.numel() if non_embedding else n

    def forward(self, idx, targets):
        t = idx.size(1)
        pos = torch.arange(0, t, dtype=torch.long)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def load(path, vocab):
    text = Path(path).read_text(encoding="utf-8")
    chars = sorted(set(text))
    if len(chars) != vocab:
        raise SystemExit(f"{path} has {len(chars)} distinct characters; --vocab says {vocab}")
    index = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([index[ch] for ch in text], dtype=torch.long)
    n = int(0.9 * len(data))
    return data[:n], data[n:]


def get_batch(data, block, batch, generator):
    ix = torch.randint(len(data) - block, (batch,), generator=generator)
    x = torch.stack([data[i:i + block] for i in ix])
    y = torch.stack([data[i + 1:i + 1 + block] for i in ix])
    return x, y


def optimizer(model, lr, weight_decay):
    params = [p for p in model.parameters() if p.requires_grad]
    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.99), eps=1e-8)


def cosine_lr(it, lr, min_lr, warmup, decay_iters):
    """nanoGPT's get_lr."""
    if it < warmup:
        return lr * (it + 1) / (warmup + 1)
    if it > decay_iters:
        return min_lr
    ratio = (it - warmup) / (decay_iters - warmup)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)


def step(model, opt, data, args, generator):
    x, y = get_batch(data, args.block, args.batch, generator)
    loss = model(x, y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    opt.zero_grad(set_to_none=True)
    return loss.item()


@torch.no_grad()
def evaluate(model, data, args, generator):
    model.eval()
    losses = [model(*get_batch(data, args.block, args.batch, generator)).item() for _ in range(args.eval_batches)]
    model.train()
    return sum(losses) / len(losses)


def blas_library():
    """The BLAS this process loaded: the reference BLAS instead of OpenBLAS would make every timing wrong."""
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "blas" in line.split()[-1].lower()}
    return ", ".join(sorted(libs)) or "none found"


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--embedding", type=int, default=128)
    ap.add_argument("--block", type=int, default=64)
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--vocab", type=int, default=65)
    ap.add_argument("--no-bias", dest="bias", action="store_false")
    ap.add_argument("--iters", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--train-iters", type=int, default=0, help="train with nanoGPT's schedule instead of timing")
    ap.add_argument("--eval-batches", type=int, default=200)
    ap.add_argument("--init-std", type=float, default=0.02,
                    help="std of the normal initial weights (nanoGPT: 0.02); the c_proj weights take it / sqrt(2L)")
    args = ap.parse_args()
    if args.embedding % args.heads != 0:
        raise SystemExit(f"--embedding {args.embedding} is not a multiple of --heads {args.heads}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train, val = load(args.data, args.vocab)
    model = GPT(args.vocab, args.block, args.layers, args.heads, args.embedding, args.bias, args.init_std)
    opt = optimizer(model, 1e-3, 0.1)
    batches = torch.Generator().manual_seed(args.seed + 1)
    n = model.num_params()
    tokens = args.batch * args.block
    flops_per_iter = (6 * n + 12 * args.layers * args.embedding * args.block) * tokens
    print(f"parameters: {model.num_params(False)} ({n} without wpe, as nanoGPT counts)")
    print(f"config: L={args.layers} H={args.heads} C={args.embedding} T={args.block} B={args.batch} V={args.vocab}"
          f" bias={args.bias} init-std={args.init_std} threads={args.threads} OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"BLAS: {blas_library()}")
    result = {"model": "gpt", "layers": args.layers, "heads": args.heads, "embedding": args.embedding,
              "block": args.block, "batch": args.batch, "threads": args.threads, "parameters": model.num_params(False)}

    if args.train_iters:
        evals = torch.Generator().manual_seed(args.seed + 2)
        start = time.perf_counter()
        every = max(1, args.train_iters // 4)
        for it in range(args.train_iters):
            for g in opt.param_groups:
                g["lr"] = cosine_lr(it, 1e-3, 1e-4, 100, args.train_iters)
            loss = step(model, opt, train, args, batches)
            if (it + 1) % every == 0 or it + 1 == args.train_iters:
                v = evaluate(model, val, args, evals)
                print(f"iter {it + 1}: train loss {loss:.4f}, validation loss {v:.4f}"
                      f" ({time.perf_counter() - start:.1f}s)")
        result.update(train_iters=args.train_iters, validation_loss=round(v, 4),
                      seconds=round(time.perf_counter() - start, 2), peak_rss_mib=round(peak_rss_mib(), 1))
        print(f"peak RSS: {result['peak_rss_mib']} MiB")
        print(json.dumps(result))
        return

    times, losses = [], {}
    shown = {0, args.warmup, args.warmup + args.iters - 1} | set(range(0, args.warmup + args.iters, 10))
    for it in range(args.warmup + args.iters):
        t0 = time.perf_counter()
        loss = step(model, opt, train, args, batches)
        elapsed = time.perf_counter() - t0
        if it >= args.warmup:
            times.append(elapsed)
        if it in shown:
            losses[it] = round(loss, 4)
            print(f"iter {it}: loss {loss:.4f} ({elapsed * 1e3:.1f} ms)")
    median, mean = statistics.median(times), statistics.fmean(times)
    result.update(iters=args.iters, warmup=args.warmup, median_iter_ms=round(median * 1e3, 2),
                  mean_iter_ms=round(mean * 1e3, 2), tokens_per_s=round(tokens / median),
                  gflops=round(flops_per_iter / median / 1e9, 2), peak_rss_mib=round(peak_rss_mib(), 1),
                  losses=losses)
    print(f"iteration: median {result['median_iter_ms']} ms, mean {result['mean_iter_ms']} ms"
          f" over {args.iters} after {args.warmup} warm-up")
    print(f"tokens/s: {result['tokens_per_s']} (median); estimated {result['gflops']} GFLOP/s"
          f" at {flops_per_iter / 1e9:.3f} GFLOP per iteration")
    print(f"peak RSS: {result['peak_rss_mib']} MiB")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
