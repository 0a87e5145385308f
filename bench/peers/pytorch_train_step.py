#!/usr/bin/env python3
"""PyTorch side of `snnc bench train`: one full training step of Spiking-DeepLab (deeplab-table1.snn).

The network is the same as examples/deeplab-table1.snn with the released code's recipe: 3x3 convs
without bias, BNTT (one BatchNorm2d per time step, eps 1e-4, momentum 0.1, scale without shift),
LIF with leak 0.99, threshold 1.0, soft reset kept out of the gradient and the triangle surrogate
scaled by 0.3, avgpool(2), a 1x1 classifier integrated over T, bilinear upsampling
(align_corners=True), per-pixel cross-entropy ignoring 255, Adam (amsgrad, weight decay 5e-4),
signed Poisson input. A step is: encode T steps, forward through all of them, backward (BPTT),
optimiser step. Random data, as `snnc bench train` uses.

Needs Debian's python3-torch (apt-get install python3-torch); where another python3 comes first on
PATH, run it with /usr/bin/python3.

Prints one JSON object: median_step_seconds, runs, peak_rss_bytes, config.

  /usr/bin/python3 bench/peers/pytorch_train_step.py --config bench       # size 32, width 0.25, T 8, batch 4, 11 classes
  /usr/bin/python3 bench/peers/pytorch_train_step.py --config paper-small # size 64, width 0.25, T 20, batch 4, 21 classes
"""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    "bench": dict(size=32, width=0.25, T=8, batch=4, classes=11),
    "paper-small": dict(size=64, width=0.25, T=20, batch=4, classes=21),
}


class Spike(torch.autograd.Function):
    """Heaviside forward; the paper's Eq. 6 triangle, scaled by 0.3 as the released code, backward."""

    @staticmethod
    def forward(ctx, u, threshold):
        ctx.save_for_backward(u)
        ctx.threshold = threshold
        return (u > threshold).float()

    @staticmethod
    def backward(ctx, grad):
        (u,) = ctx.saved_tensors
        th = ctx.threshold
        surrogate = 0.3 * torch.clamp(1.0 - torch.abs((u - th) / th), min=0.0)
        return grad * surrogate, None


class SpikingDeepLabTable1(nn.Module):
    def __init__(self, classes, width, T, leak=0.99, threshold=1.0):
        super().__init__()
        c = lambda n: max(1, round(n * width))
        plan = [(3, c(64), 1), (c(64), c(64), 1), "pool",
                (c(64), c(128), 1), (c(128), c(128), 1), "pool",
                (c(128), c(256), 1), (c(256), c(256), 2), (c(256), c(256), 2),
                (c(256), c(1024), 1), (c(1024), c(1024), 1)]
        self.plan = plan
        self.convs = nn.ModuleList()
        self.bntts = nn.ModuleList()
        for p in plan:
            if p == "pool":
                continue
            cin, cout, dil = p
            conv = nn.Conv2d(cin, cout, 3, padding=dil, dilation=dil, bias=False)
            nn.init.xavier_uniform_(conv.weight, gain=2)
            self.convs.append(conv)
            bns = nn.ModuleList([nn.BatchNorm2d(cout, eps=1e-4, momentum=0.1) for _ in range(T)])
            for bn in bns:
                bn.bias = None
            self.bntts.append(bns)
        self.classifier = nn.Conv2d(c(1024), classes, 1, bias=False)
        nn.init.xavier_uniform_(self.classifier.weight, gain=2)
        self.T, self.leak, self.threshold = T, leak, threshold

    def forward(self, x):
        n, _, h, w = x.shape
        mems = [None] * len(self.convs)
        out_sum = 0
        for t in range(self.T):
            # signed Poisson of mean-subtracted pixels in [-0.5, 0.5]
            s = torch.sign(x) * (torch.rand_like(x) <= torch.abs(x)).float()
            i = 0
            for p in self.plan:
                if p == "pool":
                    s = F.avg_pool2d(s, 2)
                    continue
                cur = self.bntts[i][t](self.convs[i](s))
                u = cur if mems[i] is None else self.leak * mems[i] + cur
                spike = Spike.apply(u, self.threshold)
                mems[i] = u - spike.detach() * self.threshold
                s = spike
                i += 1
            out_sum = out_sum + self.classifier(s)
        logits = out_sum / self.T
        return F.interpolate(logits, size=(h, w), mode="bilinear", align_corners=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", choices=sorted(CONFIGS), default="bench")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    cfg = CONFIGS[args.config]
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    model = SpikingDeepLabTable1(cfg["classes"], cfg["width"], cfg["T"])
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, amsgrad=True, weight_decay=5e-4)
    x = torch.rand(cfg["batch"], 3, cfg["size"], cfg["size"]) - 0.5
    y = torch.randint(0, cfg["classes"], (cfg["batch"], cfg["size"], cfg["size"]))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y, ignore_index=255)
        loss.backward()
        opt.step()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    print(json.dumps({"median_step_seconds": statistics.median(times), "runs": args.runs,
                      "peak_rss_bytes": peak, "threads": args.threads, "config": args.config, **cfg}))


if __name__ == "__main__":
    main()
