#!/usr/bin/env python3
"""Checks a `dpotop export model` directory against dpotop with the real
libraries (transformers, torch; CPU, offline), as a user of those would load it.

  --model DIR   from `dpotop export model --hf DIR` (holds dpotop_check.json:
                dpotop's own token ids and greedy decodes)
  --data DIR    from `dpotop export data math-low-edit --out DIR` (test.jsonl)
  --run RUN     optional: a `dpotop train --objective dpo` run started from the
                same checkpoint with --probes >= --pairs; its step-0 probes are
                dpotop's per-token log-probs of test.jsonl's first pairs, its
                step-0 evaluation their mean sums and the task accuracy

Checks, each printed PASS or FAIL:
  1. tokenizer: AutoTokenizer's ids for every character of dpotop's vocabulary
     (and a CRLF and two characters outside it) equal dpotop's Tokenizer.encode;
     by default it puts <s> first; decode gives the characters back; every
     test.jsonl prompt + completion is one token per character;
  2. per-token log-probs of the first --pairs held-out pairs, chosen and
     rejected (completion characters and </s>), under AutoModelForCausalLM,
     equal the run's probes to --tolerance nats (probes are written to 4
     decimals, so up to 5e-5 of the difference is rounding);
  3. their mean sequence sums equal the run's first-evaluation
     logps/ref_chosen and logps/ref_rejected (full precision in metrics.jsonl);
  4. model.generate (greedy) completes dpotop_check.json's held-out prompts
     exactly as dpotop's evaluation decodes them, with the same task accuracy
     (and the run's step-0 task_accuracy).

Exit 0: all PASS; 1: a FAIL; 2: torch/transformers missing or bad input.
Usage: check_hf.py --model DIR --data DIR [--run RUN] [--pairs 128] [--json OUT]
"""

import argparse
import json
import math
import os
import sys

# No hub: everything comes from the directories given.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def final_answer(text):
    """dpotop's MathData.finalAnswer: the trimmed text after the last ####."""
    at = text.rfind("####")
    if at < 0:
        return None
    tail = text[at + 4 :].strip(" \n\t\r")
    return tail or None


class Report:
    def __init__(self):
        self.fails = 0
        self.figures = {}

    def check(self, ok, text):
        print(("PASS  " if ok else "FAIL  ") + text, flush=True)
        if not ok:
            self.fails += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--run")
    ap.add_argument("--pairs", type=int, default=128, help="held-out pairs scored (default 128)")
    ap.add_argument("--tolerance", type=float, default=1e-4, help="nats per token (default 1e-4)")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()

    try:
        import torch
        import transformers
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as e:
        print(f"check_hf: SKIP: cannot import torch/transformers ({e}) with {sys.executable}", file=sys.stderr)
        print("  install them with: bash scripts/peer-venv.sh torch transformers safetensors datasets", file=sys.stderr)
        return 2
    # One thread: the model is tiny, and with two, OpenMP's spinning workers
    # cost 6x the CPU when the machine is busy (130 s against 22 s of CPU for
    # this check beside a build on 2 cores).
    torch.set_num_threads(1)
    print(f"versions: torch {torch.__version__}, transformers {transformers.__version__}")
    report = Report()
    check_path = os.path.join(a.model, "dpotop_check.json")
    if not os.path.exists(check_path):
        print(f"check_hf: {check_path} is missing (not a `dpotop export model` directory?)", file=sys.stderr)
        return 2
    with open(check_path, encoding="utf-8") as f:
        dpotop = json.load(f)
    tok = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.float32)
    model.eval()
    print(f"loaded {type(model).__name__} ({sum(p.numel() for p in model.parameters())} parameters) "
          f"and {type(tok).__name__} from {a.model}")
    bos, eos, pad, unk = tok.bos_token_id, tok.eos_token_id, tok.pad_token_id, tok.unk_token_id
    report.check((pad, bos, eos, unk) == (0, 1, 2, 3),
                 f"special ids pad/bos/eos/unk = {pad}/{bos}/{eos}/{unk} (dpotop: 0/1/2/3)")

    # dpotop's safetensors writer vs transformers' own: save_pretrained of the
    # loaded model writes the same tensors, names and values.
    import tempfile
    from safetensors import safe_open
    with tempfile.TemporaryDirectory() as resaved:
        model.save_pretrained(resaved)
        ours = safe_open(os.path.join(a.model, "model.safetensors"), "pt")
        theirs = safe_open(os.path.join(resaved, "model.safetensors"), "pt")
        same = sorted(ours.keys()) == sorted(theirs.keys()) and all(
            torch.equal(ours.get_tensor(k), theirs.get_tensor(k)) for k in ours.keys())
        report.check(same, f"model.safetensors holds what save_pretrained writes: {len(list(ours.keys()))} "
                     "tensors, same names, shapes and values")

    # 1. tokenizer
    text, want = dpotop["tokenizer"]["text"], dpotop["tokenizer"]["ids"]
    got = tok(text, add_special_tokens=False)["input_ids"]
    report.check(got == want, f"tokenizer: {len(want)} ids of dpotop's vocabulary text (+CRLF, é, ~) equal dpotop's"
                 + ("" if got == want else f": got {got[:20]}..., want {want[:20]}..."))
    got = tok(text)["input_ids"]
    report.check(got == [bos] + want, "tokenizer(text) puts <s> first and adds nothing else")
    vocab_chars = text[: len(text) - 4]  # the vocabulary's characters, without the CRLF and é~ tail
    round_trip = tok.decode(tok(vocab_chars, add_special_tokens=False)["input_ids"])
    report.check(round_trip == vocab_chars, f"decode(encode(c)) == c for all {len(vocab_chars)} characters")
    rows = load_jsonl(os.path.join(a.data, "test.jsonl"))
    one_each = all(
        len(tok(r["prompt"] + r["chosen"])["input_ids"]) == 1 + len(r["prompt"] + r["chosen"])
        and len(tok(r["prompt"] + r["rejected"])["input_ids"]) == 1 + len(r["prompt"] + r["rejected"])
        for r in rows)
    # TRL's route (DPOTrainer, non-conversational data): eos_token appended to
    # each completion as text, then tokenizer(prompt + completion).
    r = rows[0]
    trl_ids = tok(r["prompt"] + r["chosen"] + tok.eos_token)["input_ids"]
    want = [bos] + [tok.convert_tokens_to_ids(ch) for ch in r["prompt"] + r["chosen"]] + [eos]
    report.check(trl_ids == want and tok(r["prompt"])["input_ids"] == want[: 1 + len(r["prompt"])],
                 "TRL's tokenization (completion + eos_token as text) gives <s> + characters + </s>, "
                 "with the prompt's ids a prefix: dpotop's sequence")
    report.check(one_each, f"every test.jsonl prompt + chosen/rejected ({len(rows)} rows): <s> + one token per character")

    # The data directory as `datasets` loads it (its json builder, no hub).
    try:
        import datasets
    except ImportError:
        report.check(False, "the datasets package imports (bash scripts/peer-venv.sh datasets)")
    else:
        ds = datasets.load_dataset("json", data_dir=a.data)
        want_cols = {"prompt", "chosen", "rejected", "answer", "edit_distance", "normalized_edit_distance"}
        ok = (set(ds.keys()) == {"train", "test"} and ds["test"].num_rows == len(rows)
              and want_cols <= set(ds["test"].column_names) and ds["test"][0]["prompt"] == rows[0]["prompt"])
        report.check(ok, f"datasets {datasets.__version__}: load_dataset('json', data_dir=...) gives "
                     + ", ".join(f"{k} {v.num_rows} rows" for k, v in ds.items())
                     + f", columns {ds['test'].column_names}")

    # 2-3. per-token log-probs
    def token_logps(prompt, completion):
        ids = tok(prompt + completion)["input_ids"] + [eos]
        start = len(tok(prompt)["input_ids"])  # <s> + prompt
        with torch.no_grad():
            logits = model(torch.tensor([ids[:-1]])).logits[0].double()
        logp = torch.log_softmax(logits, dim=-1)
        targets = torch.tensor(ids[1:])
        per = logp.gather(1, targets[:, None])[:, 0]
        return per[start - 1 :].tolist(), tok.convert_ids_to_tokens(ids[start:])

    pairs = rows[: a.pairs]
    hf = [(token_logps(r["prompt"], r["chosen"]), token_logps(r["prompt"], r["rejected"])) for r in pairs]
    sums_c = [sum(c[0]) for c, _ in hf]
    sums_r = [sum(r[0]) for _, r in hf]
    report.figures["pairs"] = len(pairs)
    report.figures["hf_mean_logps_chosen"] = sum(sums_c) / len(sums_c)
    report.figures["hf_mean_logps_rejected"] = sum(sums_r) / len(sums_r)
    if a.run:
        probes = {p["pair"]: p for p in load_jsonl(os.path.join(a.run, "probes.jsonl")) if p["step"] == 0}
        missing = [i for i in range(len(pairs)) if i not in probes]
        report.check(not missing, f"the run's step-0 probes cover test.jsonl's first {len(pairs)} pairs"
                     + (f" (missing {len(missing)}: run with --probes {a.pairs})" if missing else ""))
        worst, tokens, aligned = 0.0, 0, True
        for i, (r, (c, rj)) in enumerate(zip(pairs, hf)):
            p = probes.get(i)
            if p is None:
                continue
            aligned &= p["prompt"] == r["prompt"]
            for (logps, texts), want_logps, want_texts in (
                    (c, p["chosen_ref_logps"], p["chosen_tokens"]), (rj, p["rejected_ref_logps"], p["rejected_tokens"])):
                aligned &= texts == want_texts and len(logps) == len(want_logps)
                for x, y in zip(logps, want_logps):
                    worst = max(worst, abs(x - y))
                    tokens += 1
        report.figures["max_abs_token_logp_diff"] = worst
        report.figures["tokens_compared"] = tokens
        report.check(aligned, "probe i is test.jsonl row i (same prompt, same completion tokens)")
        report.check(worst <= a.tolerance,
                     f"per-token log-probs, {tokens} tokens of {len(probes)} pairs (chosen and rejected): "
                     f"max |transformers - dpotop| = {worst:.2e} nats (tolerance {a.tolerance:g})")
        first_eval = next((m for m in load_jsonl(os.path.join(a.run, "metrics.jsonl"))
                           if m.get("split") == "eval" and m.get("step") == 0), None)
        if first_eval is None:
            report.check(False, "the run has a step-0 evaluation in metrics.jsonl")
        else:
            for key, mine in (("logps/ref_chosen", report.figures["hf_mean_logps_chosen"]),
                              ("logps/ref_rejected", report.figures["hf_mean_logps_rejected"])):
                theirs = first_eval[key]
                diff = abs(mine - theirs)
                report.figures[key + "_diff"] = diff
                report.check(diff <= a.tolerance * 10,
                             f"mean sum over {len(pairs)} pairs {mine:.6f} vs the run's first-evaluation {key} "
                             f"{theirs:.6f}: |diff| {diff:.2e}")

    # 4. greedy decoding
    greedy = dpotop["greedy"]
    report.check([g["prompt"] for g in greedy] == [r["prompt"] for r in rows[: len(greedy)]],
                 f"dpotop_check.json's {len(greedy)} greedy prompts are test.jsonl's first {len(greedy)}")
    limit = model.config.n_positions
    same, correct = 0, 0
    first_mismatch = None
    for g in greedy:
        ids = tok(g["prompt"], return_tensors="pt")["input_ids"]
        # dpotop decodes until </s>, its 72-token cap or a full context (it
        # samples one token past the last position it has room for).
        new = min(dpotop["greedy_max_new_tokens"], limit + 1 - ids.shape[1])
        with torch.no_grad():
            out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=new,
                                 do_sample=False, eos_token_id=eos, pad_token_id=pad)
        gen = out[0, ids.shape[1]:].tolist()
        if eos in gen:
            gen = gen[: gen.index(eos)]
        # dpotop's Tokenizer.decode: specials dropped, <unk> shown as "?".
        text = "".join("?" if i == unk else tok.convert_ids_to_tokens(i) for i in gen if i not in (pad, bos, eos))
        if text == g["completion"]:
            same += 1
        elif first_mismatch is None:
            first_mismatch = (g["prompt"], text, g["completion"])
        if final_answer(text) == g["answer"].strip():
            correct += 1
    acc = correct / len(greedy)
    report.figures["greedy_same"] = same
    report.figures["greedy_total"] = len(greedy)
    report.figures["hf_task_accuracy"] = acc
    report.check(same == len(greedy), f"model.generate (greedy) == dpotop's decode for {same}/{len(greedy)} prompts"
                 + ("" if first_mismatch is None else f"; first difference: {first_mismatch!r}"))
    report.check(math.isclose(acc, dpotop["greedy_task_accuracy"], abs_tol=1e-12),
                 f"task accuracy {acc:.4f} (transformers) vs {dpotop['greedy_task_accuracy']:.4f} (dpotop export)")
    if a.run and first_eval is not None and "task_accuracy" in first_eval:
        report.check(math.isclose(acc, first_eval["task_accuracy"], abs_tol=1e-12),
                     f"task accuracy {acc:.4f} vs the run's first evaluation {first_eval['task_accuracy']:.4f}")

    report.figures["fails"] = report.fails
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report.figures, f, indent=1)
    print(f"check_hf: {report.fails} failed")
    return 1 if report.fails else 0


if __name__ == "__main__":
    sys.exit(main())
