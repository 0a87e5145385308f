#!/usr/bin/env python3
"""Brian2 side of the simulator comparison: examples/random3x4096.snn in Brian2's C++ standalone mode.

The network: 4096 Poisson inputs spiking with probability 0.2 per 1 ms step; three layers of
4096 LIF neurons (v decays by 0.9 per step, threshold 1, reset by subtraction); each neuron reads
`fan_in` = 300 distinct random neurons of the layer before, weights drawn uniformly from
U(-b, b) * gain with b = sqrt(6 / (fan_in + fan_out)) (Xavier-uniform, as snnc's seeded weights;
`--gain 1.5` gives roughly 10% firing per step, matching `snnc sim --weight-gain 1.5`); 200 steps.

Timed: the simulation loop only (Brian2 reports it as the device's last run time), not code
generation or compilation. Synaptic events = for every spike, the synapses it drives.
Prints one JSON object: synaptic_events_per_second, synaptic_events, loop_seconds, spikes per layer.

  /usr/bin/python3 bench/peers/brian2_random3x4096.py [--steps 200] [--gain 1.5] [--threads 1]
Needs Debian's python3-brian and a C++ compiler (apt-get install python3-brian g++).
"""
import argparse
import json
import math
import tempfile

import numpy as np
from brian2 import (Network, NeuronGroup, PoissonGroup, Synapses, SpikeMonitor, ms, set_device, device, prefs,
                    defaultclock, seed as brian_seed)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--neurons", type=int, default=4096)
    ap.add_argument("--fan-in", type=int, default=300)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--rate", type=float, default=0.2, help="input spike probability per step")
    ap.add_argument("--gain", type=float, default=1.5)
    ap.add_argument("--leak", type=float, default=0.9)
    ap.add_argument("--threads", type=int, default=1, help="OpenMP threads of the standalone build (1: no OpenMP)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    workdir = tempfile.mkdtemp(prefix="brian2-random3x4096-")
    set_device("cpp_standalone", directory=workdir, build_on_run=False)
    # 0 builds without OpenMP: the plain single-threaded loop
    prefs.devices.cpp_standalone.openmp_threads = args.threads if args.threads > 1 else 0
    defaultclock.dt = 1 * ms
    brian_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    n, k = args.neurons, args.fan_in
    tau = -1 * ms / math.log(args.leak)  # exact integration: v *= leak each 1 ms step
    bound = args.gain * math.sqrt(6.0 / (k + k))
    source = PoissonGroup(n, rates=args.rate / (1 * ms))
    layers, synapses, monitors = [], [], [SpikeMonitor(source)]
    previous = source
    for _ in range(3):
        g = NeuronGroup(n, "dv/dt = -v / tau : 1", threshold="v > 1", reset="v -= 1", method="exact",
                        namespace={"tau": tau})
        s = Synapses(previous, g, "w : 1", on_pre="v_post += w")
        pre = np.concatenate([rng.choice(n, size=k, replace=False) for _ in range(n)])
        post = np.repeat(np.arange(n), k)
        s.connect(i=pre, j=post)
        s.w = rng.uniform(-bound, bound, size=n * k)
        layers.append(g)
        synapses.append((s, pre))
        monitors.append(SpikeMonitor(g))
        previous = g

    net = Network(source, *layers, *[s for s, _ in synapses], *monitors)
    net.run(args.steps * ms)
    device.build(directory=workdir, compile=True, run=True, debug=False)

    events = 0
    spikes = []
    for layer in range(3):
        counts = np.bincount(np.asarray(monitors[layer].i[:]), minlength=n)
        outdeg = np.bincount(synapses[layer][1], minlength=n)
        events += int(np.dot(counts, outdeg))
    for m in monitors:
        spikes.append(int(m.num_spikes))
    loop = device._last_run_time
    print(json.dumps({
        "peer": "brian2 cpp_standalone", "threads": args.threads, "steps": args.steps,
        "synaptic_events": events, "loop_seconds": loop,
        "synaptic_events_per_second": events / loop if loop > 0 else None,
        "spikes_per_layer": spikes,
        "firing_per_step": [s / (n * args.steps) for s in spikes],
    }))


if __name__ == "__main__":
    main()
