#!/usr/bin/env python3
"""Independent reference values for ObjectiveTests.swift.

Computes each preference objective and its gradient with mpmath at 300 digits:
losses from the textbook formulas (log and exp, no stabilising tricks, which
is safe at this precision), gradients by mpmath's numerical differentiation
(not the hand-derived formulas used in Swift). Pairs are chosen away from the
kinks of max(0, .). Run: python3 Tests/TrainingTests/Objectives/reference_values.py
and paste the printed rows into referenceRows in ObjectiveTests.swift.
"""
import mpmath as mp

mp.mp.dps = 300


def sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def loss(objective, beta, lam, pc, pr, rc, rr):
    h = (pc - rc) - (pr - rr)
    if objective == "dpo":
        return -mp.log(sigmoid(beta * h))
    if objective == "dpop":
        return -mp.log(sigmoid(beta * (h - lam * max(mp.mpf(0), rc - pc))))
    if objective == "ipo":
        return (h - 1 / (2 * beta)) ** 2
    if objective == "slic":
        return max(mp.mpf(0), 1 - beta * h)
    raise ValueError(objective)


# (objective, beta, lambda, policy chosen, policy rejected, ref chosen, ref rejected)
CASES = []
PAIRS = [
    (-10.0, -12.0, -11.0, -11.5),  # chosen above reference, margin +1.5
    (-14.0, -20.0, -12.5, -15.0),  # chosen 1.5 nats below reference, margin +3.5
    (-8.25, -9.5, -8.0, -9.0),  # small negative margin, chosen 0.25 below
    (-30.0, -20.0, -25.0, -26.0),  # margin -11, chosen 5 below
    (0.5, -499.5, 0.0, 0.0),  # margin +500, chosen above reference
    (-500.0, 0.0, 0.0, 0.0),  # margin -500, chosen 500 below
]
for objective in ["dpo", "dpop", "ipo", "slic"]:
    for beta in [0.1, 0.3, 1.0]:
        for pair in PAIRS:
            CASES.append((objective, beta, 50.0, *pair))

for objective, beta, lam, pc, pr, rc, rr in CASES:
    args = [mp.mpf(v) for v in (pc, pr, rc, rr)]
    beta_m, lam_m = mp.mpf(beta), mp.mpf(lam)
    value = loss(objective, beta_m, lam_m, *args)
    d_c = mp.diff(lambda x: loss(objective, beta_m, lam_m, x, args[1], args[2], args[3]), args[0])
    d_r = mp.diff(lambda x: loss(objective, beta_m, lam_m, args[0], x, args[2], args[3]), args[1])
    print(
        f'  Row(.{objective}, {beta}, {lam}, {pc}, {pr}, {rc}, {rr}, '
        f'{mp.nstr(value, 17)}, {mp.nstr(d_c, 17)}, {mp.nstr(d_r, 17)}),'
    )
