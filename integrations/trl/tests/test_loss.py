"""The DPOP loss against hand-computed values and against dpotop's PairLoss.

Hand-computed: rows printed by dpotop's Tests/TrainingTests/Objectives/
reference_values.py (mpmath at 300 digits, gradients by numerical
differentiation, not from the formulas), for objective dpop, λ = 50.

Against dpotop: dpop_cases.json holds inputs and this integration's loss and
gradients (float64 autograd, per pair). Swift's TRLDPOPCrossCheckTests
(Tests/TrainingTests/Objectives) evaluates dpotop's own PairLoss on the same
inputs and requires the same numbers to 1e-6; this test requires the file to
be what the integration computes today (regenerate with
``python tests/test_loss.py --write`` after changing the loss, then run the
Swift test).
"""

import json
import math
import os
import sys
import unittest

import torch

from dpotop_trl import dpop_losses

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_PATH = os.path.join(HERE, "dpop_cases.json")

# Every dpop row of Tests/TrainingTests/Objectives/ObjectiveReferenceValues.swift (mpmath's
# numerical gradients are good to about 1e-9 relative, hence rel_tol 1e-8 below).
# (beta, lambda, policy chosen, policy rejected, ref chosen, ref rejected, loss, dloss/dπc, dloss/dπr)
HAND = [
    (0.1, 50.0, -10.0, -12.0, -11.0, -11.5, 0.62095704778953207, -0.046257015465625047, 0.046257015465625047),
    (0.1, 50.0, -14.0, -20.0, -12.5, -15.0, 7.1507845562365653, -5.0960003323807661, 0.099921575144720903),
    (0.1, 50.0, -8.25, -9.5, -8.0, -9.0, 1.4825509299547244, -3.9420055229233667, 0.077294225939673858),
    (0.1, 50.0, -30.0, -20.0, -25.0, -26.0, 26.100000000004624, -5.0999999999764235, 0.099999999999537716),
    (0.1, 50.0, 0.5, -499.5, 0.0, 0.0, 1.9287498479639124e-22, -1.9287498479639125e-23, 1.9287498479639125e-23),
    (0.1, 50.0, -500.0, 0.0, 0.0, 0.0, 2550.0000000000001, -5.1000000000000003, 0.10000000000000001),
    (0.3, 50.0, -10.0, -12.0, -11.0, -11.5, 0.49324894599745488, -0.1168082298152334, 0.1168082298152334),
    (0.3, 50.0, -14.0, -20.0, -12.5, -15.0, 21.450000000483485, -15.299999992602673, 0.29999999985495437),
    (0.3, 50.0, -8.25, -9.5, -8.0, -9.0, 3.7000334379396178, -14.921742693360252, 0.2925831900658873),
    (0.3, 50.0, -30.0, -20.0, -25.0, -26.0, 78.299999999999997, -15.299999999999999, 0.29999999999999999),
    (0.3, 50.0, 0.5, -499.5, 0.0, 0.0, 7.1750959731644502e-66, -2.152528791949335e-66, 2.152528791949335e-66),
    (0.3, 50.0, -500.0, 0.0, 0.0, 0.0, 7649.9999999999997, -15.299999999999999, 0.29999999999999999),
    (1.0, 50.0, -10.0, -12.0, -11.0, -11.5, 0.20141327798275241, -0.18242552380635634, 0.18242552380635634),
    (1.0, 50.0, -14.0, -20.0, -12.5, -15.0, 71.5, -51.0, 1.0),
    (1.0, 50.0, -8.25, -9.5, -8.0, -9.0, 12.250004785105943, -50.999755960180761, 0.99999521490550511),
    (1.0, 50.0, -30.0, -20.0, -25.0, -26.0, 261.0, -51.0, 1.0),
    (1.0, 50.0, 0.5, -499.5, 0.0, 0.0, 7.1245764067412855e-218, -7.1245764067412855e-218, 7.1245764067412855e-218),
    (1.0, 50.0, -500.0, 0.0, 0.0, 0.0, 25500.0, -51.0, 1.0),
]

# Inputs for the cross-check with dpotop: the hand rows' inputs, the kink
# (policy chosen = reference chosen: subgradient 0), λ = 0 (plain DPO),
# and seeded random log-probs of the size the maths pairs give.
def cross_check_inputs() -> list[tuple[float, float, float, float, float, float]]:
    rows = [(b, lam, pc, pr, rc, rr) for b, lam, pc, pr, rc, rr, *_ in HAND]
    rows += [(0.1, 50.0, -3.0, -40.0, -3.0, -38.0), (0.3, 0.0, -2.0, -35.0, -0.5, -30.0)]
    g = torch.Generator().manual_seed(25)
    for beta in (0.1, 0.3, 1.0):
        for _ in range(5):
            rc, rr = (-torch.rand(2, generator=g, dtype=torch.float64) * torch.tensor([2.0, 60.0])).tolist()
            dc, dr = ((torch.rand(2, generator=g, dtype=torch.float64) - 0.5) * torch.tensor([8.0, 30.0])).tolist()
            rows.append((beta, 50.0, rc + dc, rr + dr, rc, rr))
    return rows


def integration_values(row: tuple[float, ...]) -> dict[str, float]:
    beta, lam, pc, pr, rc, rr = row
    chosen = torch.tensor([pc], dtype=torch.float64, requires_grad=True)
    rejected = torch.tensor([pr], dtype=torch.float64, requires_grad=True)
    losses, penalty = dpop_losses(chosen, rejected, torch.tensor([rc], dtype=torch.float64),
                                  torch.tensor([rr], dtype=torch.float64), beta, lam)
    losses.sum().backward()
    return {
        "beta": beta, "lambda": lam, "policy_chosen": pc, "policy_rejected": pr, "ref_chosen": rc,
        "ref_rejected": rr, "loss": losses.item(), "d_policy_chosen": chosen.grad.item(),
        "d_policy_rejected": rejected.grad.item(), "penalty": penalty.item(),
    }


class HandComputed(unittest.TestCase):
    def test_loss_and_gradients_match_mpmath(self) -> None:
        for beta, lam, pc, pr, rc, rr, loss, d_c, d_r in HAND:
            got = integration_values((beta, lam, pc, pr, rc, rr))
            for name, want in (("loss", loss), ("d_policy_chosen", d_c), ("d_policy_rejected", d_r)):
                self.assertTrue(math.isclose(got[name], want, rel_tol=1e-8, abs_tol=1e-12),
                                f"{name} for {(beta, pc, pr, rc, rr)}: {got[name]!r} vs {want!r}")

    def test_batch_mean_in_float32_as_the_trainer_runs_it(self) -> None:
        rows = [r[:6] for r in HAND[:2]]
        t = torch.tensor([r[2:] for r in rows], dtype=torch.float32)
        chosen = t[:, 0].clone().requires_grad_(True)
        losses, _ = dpop_losses(chosen, t[:, 1], t[:, 2], t[:, 3], 0.1, 50.0)
        # Only the β = 0.1 rows share this β: check them.
        for i, row in enumerate(HAND[:2]):
            self.assertAlmostEqual(losses[i].item(), row[6], delta=1e-5 * max(1.0, abs(row[6])))

    def test_penalty_is_zero_at_and_above_the_reference(self) -> None:
        at = integration_values((0.1, 50.0, -3.0, -40.0, -3.0, -38.0))
        self.assertEqual(at["penalty"], 0.0)
        dpo = torch.sigmoid(torch.tensor(-0.1 * 2.0, dtype=torch.float64)).item()
        self.assertAlmostEqual(at["d_policy_chosen"], -0.1 * dpo, places=15)


class AgainstDpotop(unittest.TestCase):
    def test_the_cases_dpotop_checks_are_what_the_integration_computes(self) -> None:
        with open(CASES_PATH, encoding="utf-8") as f:
            stored = json.load(f)["cases"]
        rows = cross_check_inputs()
        self.assertEqual(len(stored), len(rows))
        for want, row in zip(stored, rows):
            got = integration_values(row)
            for key, value in got.items():
                self.assertTrue(math.isclose(value, want[key], rel_tol=1e-12, abs_tol=1e-15),
                                f"{key}: {value!r} vs stored {want[key]!r} for {row}")


def write_cases() -> None:
    cases = [integration_values(r) for r in cross_check_inputs()]
    doc = {
        "about": "dpotop_trl.dpop_losses (float64 autograd, per pair) on these inputs; "
        "Tests/TrainingTests/Objectives/TRLDPOPCrossCheckTests.swift requires dpotop's PairLoss "
        "to give the same loss, gradients and penalty to 1e-6. Written by "
        "integrations/trl/tests/test_loss.py --write.",
        "cases": cases,
    }
    with open(CASES_PATH, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_cases()
    else:
        unittest.main()
