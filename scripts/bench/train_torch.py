"""PyTorch's side of `dpotop-bench train --vs-pytorch`: the default model's shape in
torch (fp32, tied output, pre-LayerNorm blocks, tanh GELU, causal attention),
AdamW with dpotop's hyper-parameters and decay mask, clip 1.0, trained on
dpotop's own batches.

Run by hand:  python3 scripts/bench/train_torch.py SPEC.json   (then type "sft" or "dpo")
SPEC.json is what the bench writes (TorchPeer.writeSpec): threads, the model
shape, and per objective its hyper-parameters and batches. Greets with
"ready torch VERSION"; for each request line ("sft" or "dpo") on stdin trains
through that objective's batches and prints the median tokens/s, counted as the
trainer counts them (non-padding tokens over the step's wall time).
"""
import json, sys, time, statistics
import torch
import torch.nn as nn
import torch.nn.functional as F
spec = json.load(open(sys.argv[1]))
torch.set_num_threads(spec["threads"])
torch.manual_seed(1)
m = spec["model"]
V, CTX, C, L, H = m["vocab"], m["context"], m["dim"], m["layers"], m["heads"]

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.qkv, self.proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.fc, self.fcproj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)
    def forward(self, x):
        B, T, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (z.view(B, T, H, C // H).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, C))
        return x + self.fcproj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))

class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(CTX, C)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.lnf = nn.LayerNorm(C)
    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for b in self.blocks:
            x = b(x)
        return self.lnf(x) @ self.wte.weight.T

def seq_logps(model, tok, tgt):
    logits = model(tok)
    nll = F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1), ignore_index=-1, reduction="none")
    return -nll.view(tgt.shape).sum(1)

def optimiser(model, hp):
    mats = [p for n, p in model.named_parameters() if p.dim() == 2 and "wte" not in n and "wpe" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.dim() == 2 and "wte" not in n and "wpe" not in n)]
    return torch.optim.AdamW(
        [{"params": mats, "weight_decay": hp["weight_decay"]}, {"params": rest, "weight_decay": 0.0}],
        lr=hp["lr"], betas=(0.9, 0.999), eps=1e-8)

def run(kind):
    hp = spec[kind]
    batches = [(torch.tensor(b["tokens"]).view(b["b"], b["t"]).long(),
                torch.tensor(b["targets"]).view(b["b"], b["t"]).long(), b["real"]) for b in hp["batches"]]
    model = GPT()
    ref = GPT()
    ref.load_state_dict(model.state_dict())
    ref.requires_grad_(False)
    opt = optimiser(model, hp)
    rates = []
    for i, (tok, tgt, real) in enumerate(batches):
        t0 = time.perf_counter()
        if kind == "dpo":
            # As dpotop's bench: every pair is new, so the reference forward runs each step.
            with torch.no_grad():
                r = seq_logps(ref, tok, tgt)
            p = seq_logps(model, tok, tgt)
            n = tok.shape[0] // 2
            z = hp["beta"] * ((p[:n] - r[:n]) - (p[n:] - r[n:]))
            loss = -F.logsigmoid(z).mean()
        else:
            logits = model(tok)
            loss = F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1), ignore_index=-1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), hp["clip"])
        opt.step()
        rates.append(real / (time.perf_counter() - t0))
    return statistics.median(rates)

print("ready torch", torch.__version__, flush=True)
for line in sys.stdin:
    print(run(line.strip()), flush=True)
