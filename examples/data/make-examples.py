#!/usr/bin/env python3
"""Writes the small example data sets of csv-regression and libsvm-classification (seeded, no dependencies).

regression-*.csv: 8 features x1..x8 uniform in [-2, 2], y = sin(x1) + x2*x3/2 + x4^2/4 - x5 + noise(0.1).
*.libsvm: 10 classes labelled 1..10 (so the CLI's label index is exercised), 784 sparse features:
each class has 40 prototype features; a sample keeps each with probability 0.8 (value 0.5..1) and
adds 10 random features (value 0..0.5).
"""
import math
import random

rng = random.Random(7)


def regression(path, n):
    with open(path, "w") as f:
        f.write(",".join(f"x{i}" for i in range(1, 9)) + ",y\n")
        for _ in range(n):
            x = [rng.uniform(-2, 2) for _ in range(8)]
            y = math.sin(x[0]) + x[1] * x[2] / 2 + x[3] ** 2 / 4 - x[4] + rng.gauss(0, 0.1)
            f.write(",".join(f"{v:.4f}" for v in x) + f",{y:.4f}\n")


protos = [sorted(rng.sample(range(1, 785), 40)) for _ in range(10)]


def libsvm(path, n):
    with open(path, "w") as f:
        for _ in range(n):
            c = rng.randrange(10)
            feats = {i: rng.uniform(0.5, 1.0) for i in protos[c] if rng.random() < 0.8}
            for i in rng.sample(range(1, 785), 10):
                feats.setdefault(i, rng.uniform(0, 0.5))
            f.write(str(c + 1) + "".join(f" {i}:{feats[i]:.3f}" for i in sorted(feats)) + "\n")


regression("regression-train.csv", 2000)
regression("regression-test.csv", 500)
libsvm("train.libsvm", 2000)
libsvm("test.libsvm", 500)
