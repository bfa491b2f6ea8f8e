"""PyTorch reference for the spam LSTM: the same data, tokens, model and optimizer as SpamLstm.java.

Embedding(20002, 64, padding 0) + LSTM(64) (output at each text's last real step) + Linear(64, 2);
Adam 1e-3, batch 64, one thread. Prints one line per epoch: seconds, samples/s, CPU seconds and
test accuracy.

Usage: /usr/bin/python3 spam_lstm.py DATA_DIR EPOCHS [LIMIT] [--padded] [--glibc-malloc]
  LIMIT           the first LIMIT training texts only, for a quick look
  --padded        run the LSTM over the padded batch and take each text's output at its last real
                  step (a gather), instead of packed sequences. The same maths: the LSTM is causal,
                  so steps after a text's end change neither that output nor any gradient. It costs
                  the padded steps' compute but avoids the packed path's per-step slice backward,
                  which materialises a zero gradient of the whole packed input projection (rows x 256)
                  at each of the 256 steps and adds it up: quadratic memory traffic.
  --glibc-malloc  keep glibc's default allocator thresholds. By default the script keeps freed memory
                  in the heap (mallopt: mmap threshold 32 MiB, trim threshold 1 GiB): otherwise each of
                  those multi-MB temporaries is a fresh mmap, page-faulted in and unmapped again, which
                  on a 2-core VM made the packed path about 25x slower (half of it system time).
"""
import collections
import ctypes
import gzip
import json
import re
import sys
import time

args = [a for a in sys.argv[1:] if not a.startswith("--")]
flags = {a for a in sys.argv[1:] if a.startswith("--")}
unknown = flags - {"--padded", "--glibc-malloc"}
if len(args) < 2 or unknown:
    sys.exit(f"usage: spam_lstm.py DATA_DIR EPOCHS [LIMIT] [--padded] [--glibc-malloc]"
             f"{'; unknown ' + ' '.join(sorted(unknown)) if unknown else ''}")
PADDED = "--padded" in flags
if "--glibc-malloc" not in flags:
    libc = ctypes.CDLL("libc.so.6")
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc malloc.h
    if not (libc.mallopt(M_MMAP_THRESHOLD, 32 << 20) and libc.mallopt(M_TRIM_THRESHOLD, 1 << 30)):
        sys.exit("mallopt failed (not glibc?); rerun with --glibc-malloc")

import torch  # noqa: E402 (after mallopt, so that torch's own start-up allocations follow it too)
from torch import nn  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(42)
data, epochs = args[0], int(args[1])
limit = int(args[2]) if len(args) > 2 else None
WORD = re.compile(r"[a-z0-9']+")
T, VOCAB = 256, 20002


def read(name):
    with gzip.open(f"{data}/{name}", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [WORD.findall(r["text"].lower()) for r in rows], [int(r["label"]) for r in rows]


train_tokens, train_labels = read("spam-train.jsonl.gz")
train_tokens, train_labels = train_tokens[:limit], train_labels[:limit]
test_tokens, test_labels = read("spam-test.jsonl.gz")
counts = collections.Counter(t for toks in train_tokens for t in toks)
kept = sorted((t for t, c in counts.items() if c >= 2), key=lambda t: (-counts[t], t))[: VOCAB - 2]
ids = {t: i + 2 for i, t in enumerate(kept)}


def encode(tokens):
    x = torch.zeros(len(tokens), T, dtype=torch.long)
    lengths = torch.zeros(len(tokens), dtype=torch.long)
    for i, toks in enumerate(tokens):
        toks = toks[:T]
        x[i, : len(toks)] = torch.tensor([ids.get(t, 1) for t in toks], dtype=torch.long)
        lengths[i] = len(toks)
    return x, lengths


xtr, ltr = encode(train_tokens)
ytr = torch.tensor(train_labels)
xte, lte = encode(test_tokens)
yte = torch.tensor(test_labels)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 64, padding_idx=0)
        self.lstm = nn.LSTM(64, 64, batch_first=True)
        self.out = nn.Linear(64, 2)

    def forward(self, x, lengths):
        if PADDED:
            # only as many steps as the longest text of the batch, as the packed path runs
            steps = int(lengths.max())
            out, _ = self.lstm(self.emb(x[:, :steps]))
            last = out[torch.arange(len(lengths)), lengths - 1]
        else:
            packed = nn.utils.rnn.pack_padded_sequence(self.emb(x), lengths, batch_first=True, enforce_sorted=False)
            _, (h, _) = self.lstm(packed)
            last = h[-1]
        return self.out(last)


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
n = len(ytr)
print(f"pytorch {torch.__version__}, 1 thread, {'padded + gather' if PADDED else 'packed sequences'}, "
      f"{'glibc default malloc' if '--glibc-malloc' in flags else 'mallopt mmap 32 MiB / trim 1 GiB'}: "
      f"{n} train / {len(yte)} test texts, vocabulary {len(ids) + 2} ids, "
      f"{sum(p.numel() for p in net.parameters())} parameters", flush=True)
for epoch in range(1, epochs + 1):
    net.train()
    t0, c0 = time.perf_counter(), time.process_time()
    perm = torch.randperm(n)
    for s in range(0, n, 64):
        b = perm[s: s + 64]
        opt.zero_grad()
        loss = loss_fn(net(xtr[b], ltr[b]), ytr[b])
        loss.backward()
        opt.step()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    net.eval()
    with torch.no_grad():
        correct = sum(int((net(xte[s: s + 512], lte[s: s + 512]).argmax(1) == yte[s: s + 512]).sum())
                      for s in range(0, len(yte), 512))
    # CPU seconds of the process (one thread) as well: on a shared machine the wall time also
    # counts the time other processes held the cores
    print(f"pytorch epoch {epoch}: {seconds:.1f} s, {n / seconds:.0f} samples/s, {cpu:.1f} s CPU, "
          f"{n / cpu:.0f} samples per CPU second, test accuracy {correct / len(yte):.4f}", flush=True)
