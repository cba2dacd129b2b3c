#!/usr/bin/env python3
"""Builds what a TRL DPO run needs, without a model hub, into one directory.

  OUT/model/   a tiny randomly initialised Llama-style causal LM (2 layers,
               hidden size 32) and a character-level tokenizer, both written
               with save_pretrained, so `--model_name_or_path OUT/model` loads
               them like any hub checkpoint;
  OUT/data/    train.jsonl and test.jsonl in TRL's standard preference format
               (prompt / chosen / rejected), so `--dataset_name OUT/data`
               loads them with datasets' local-directory loader.

The pairs are maths word problems in the manner of dpotop's built-in
`math-low-edit` data (chosen = the worked solution, rejected = the same
solution with one intermediate result off by 1-3), generated here because
dpotop has no export command. Everything is seeded: the same seed writes the
same files.

Usage: make_tiny.py OUT [--train N] [--test N] [--seed S]
"""

import argparse
import json
import os
import random

NAMES = ["Ann", "Bob", "Sam", "Tom", "Eve", "Max", "Kim", "Zoe", "Ben", "Amy"]
ITEMS = ["pens", "eggs", "cards", "coins", "books", "cups", "toys", "keys", "shells", "stamps"]
# The same 50 characters as dpotop's MathData.alphabet.
ALPHABET = "\n #*+,-.0123456789=?ABEHKMSTZabcdefghiklmnoprstuvwxy"
SPECIAL = ["<pad>", "<eos>", "<bos>", "<unk>"]


def problem(rng):
    """One problem: (prompt, solution lines, answer), every number in 0-99."""
    while True:
        start = rng.randint(1, 30)
        value = start
        words, lines = [], []
        for _ in range(rng.choice([2, 3, 4])):
            kind = rng.choice(["+", "+", "-", "-", "*"])
            if kind == "+":
                n = rng.randint(1, 20)
                if value + n > 99:
                    continue
                words.append(f"{rng.choice(['buys', 'finds', 'gets'])} {n}")
                lines.append(f"{value}+{n}={value + n}")
                value += n
            elif kind == "-":
                n = rng.randint(1, 20)
                if n > value:
                    continue
                words.append(f"{rng.choice(['loses', 'sells', 'uses'])} {n}")
                lines.append(f"{value}-{n}={value - n}")
                value -= n
            else:
                m = rng.choice([2, 3])
                if value * m > 99:
                    continue
                words.append("doubles them" if m == 2 else "triples them")
                lines.append(f"{value}*{m}={value * m}")
                value *= m
        if len(lines) < 2:
            continue
        prompt = (
            f"{rng.choice(NAMES)} has {start} {rng.choice(ITEMS)}, "
            + ", ".join(words)
            + ". How many?\n"
        )
        return prompt, lines, value


def pair(rng):
    """A low-edit preference pair: one intermediate result changed by 1-3."""
    prompt, lines, answer = problem(rng)
    chosen = "\n".join(lines) + f"\n#### {answer}"
    bad = list(lines)
    i = rng.randrange(len(lines) - 1)
    lhs, result = bad[i].split("=")
    delta = rng.choice([-3, -2, -1, 1, 2, 3])
    wrong = int(result) + delta
    if wrong < 0:
        wrong = int(result) + abs(delta)
    bad[i] = f"{lhs}={wrong}"
    rejected = "\n".join(bad) + f"\n#### {answer}"
    return {"prompt": prompt, "chosen": chosen, "rejected": rejected}


def write_data(out, train, test, seed):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    for name, count in [("train", train), ("test", test)]:
        with open(os.path.join(out, f"{name}.jsonl"), "w") as f:
            for _ in range(count):
                f.write(json.dumps(pair(rng)) + "\n")


def write_model(out, seed):
    # Imported here so --help and the data part work without the ML stack.
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, decoders
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    vocab = {tok: i for i, tok in enumerate(SPECIAL + list(ALPHABET))}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    # Every character is its own token: split between all characters.
    core.pre_tokenizer = pre_tokenizers.Split(pattern="", behavior="isolated")
    core.decoder = decoders.Fuse()
    tok = PreTrainedTokenizerFast(
        tokenizer_object=core,
        pad_token="<pad>",
        eos_token="<eos>",
        bos_token="<bos>",
        unk_token="<unk>",
        model_max_length=256,
    )
    text = "Bob has 8 keys, sells 5. How many?\n8-5=3\n#### 3"
    ids = tok(text)["input_ids"]
    if tok.decode(ids) != text or len(ids) != len(text):
        raise SystemExit(f"character tokenizer does not round-trip: {ids}")

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=256,
        pad_token_id=vocab["<pad>"],
        bos_token_id=vocab["<bos>"],
        eos_token_id=vocab["<eos>"],
        tie_word_embeddings=True,
    )
    model = LlamaForCausalLM(config)
    os.makedirs(out, exist_ok=True)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return sum(p.numel() for p in model.parameters())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("out", help="directory to create model/ and data/ in")
    ap.add_argument("--train", type=int, default=256, help="training pairs (default 256)")
    ap.add_argument("--test", type=int, default=32, help="held-out pairs (default 32)")
    ap.add_argument("--seed", type=int, default=0, help="seed for data and weights (default 0)")
    ap.add_argument("--data-only", action="store_true", help="write only data/")
    a = ap.parse_args()
    write_data(os.path.join(a.out, "data"), a.train, a.test, a.seed)
    print(f"data: {a.train} train + {a.test} test pairs in {a.out}/data")
    if not a.data_only:
        n = write_model(os.path.join(a.out, "model"), a.seed)
        print(f"model: {n} parameters in {a.out}/model")


if __name__ == "__main__":
    main()
