#!/usr/bin/env bash
# The spam LSTM epoch side by side on this machine, one after the other in one run: PyTorch 1.13 on
# one thread (benchmarks/pytorch/spam_lstm.py, padded + gather and packed sequences), then
# benchmarks/spam-lstm.sh --epochs 1 --local-epochs 1 (single-JVM epoch, one thread, and a Spark
# local[2] epoch). Each part is preceded by the load average.
#   benchmarks/spam-lstm-vs-pytorch.sh                 (PyTorch: /usr/bin/python3 with Debian's python3-torch)
#   PYTHON=python3 benchmarks/spam-lstm-vs-pytorch.sh  another interpreter with torch
# The report goes to benchmarks/target/spam-lstm-vs-pytorch.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-/usr/bin/python3}
mkdir -p benchmarks/target
out=benchmarks/target/spam-lstm-vs-pytorch.txt
load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
{
  # one thread everywhere: PyTorch's intra-op pool, OpenMP and OpenBLAS (Debian links torch to OpenBLAS)
  export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
  for mode in --padded ""; do
    load
    /usr/bin/time -f "pytorch process: %e s wall, %U s user, %S s system, peak RSS %M KB" \
      "$python" benchmarks/pytorch/spam_lstm.py data/spam 1 $mode
  done
  load
  # its 95% gate is for 5 epochs; after one it may exit 1, which is reported and not a failure here
  benchmarks/spam-lstm.sh --epochs 1 --local-epochs 1 || echo "spam-lstm.sh exit status $?"
  load
} 2>&1 | tee "$out"
exit "${PIPESTATUS[0]}"
