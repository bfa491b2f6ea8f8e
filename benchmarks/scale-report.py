"""One row of benchmarks/scale.sh's table, from the files of one run folder.
Usage: scale-report.py RUN_DIR N TRAIN_WALL_S LOAD_BEFORE LOAD_AFTER EXIT_STATUS"""
import glob, json, os, re, sys
run, n, wall, lb, la, status = sys.argv[1:]
n = int(n)
drv = open(os.path.join(run, "driver.log"), errors="replace").read()
aug = open(os.path.join(run, "augment.log"), errors="replace").read()
m = re.search(r"^wrote \d+ rows in \d+ partitions to \S+ in ([0-9.]+) s", aug, re.M)
m = m or re.search(r"^(reused) ", aug, re.M)
write_s = m.group(1) if m else "?"
epochs = re.findall(r"^epoch (\d+)/\d+ - loss .* - ([0-9.]+) s, ([0-9,]+) samples/s", drv, re.M)
ep = [float(s) for _, s, _ in epochs]
# the trainer's own rate of the last epoch: training samples (N less the validation split) per second
sps = epochs[-1][2] if ep else "-"
if not ep:
  # a run stopped early: the last progress line, "epoch E/T - step D/S ... - X s"
  prog = re.findall(r"^epoch (\d+)/\d+ - step (\d+)/(\d+).* - (\d+) s$", drv, re.M)
  if prog:
    e, d, tot, secs = prog[-1]
    if int(d) > 0 and int(secs) > 0:
      sps = f"{int(d) * 1024 / int(secs):,.0f} (epoch {e}, {d} of {tot} steps in {secs} s)"
def gc(f):
  after = before = 0
  for line in open(f, errors="replace"):
    for b, a, _ in re.findall(r"(\d+)M->(\d+)M\((\d+)M\)", line):
      before, after = max(before, int(b)), max(after, int(a))
  return after, before
used = {}
for ev in [f for f in glob.glob(os.path.join(run, "events", "**"), recursive=True) if os.path.isfile(f)]:
  if ev.endswith(".zstd"):
    import subprocess
    lines = subprocess.run(["zstd", "-dc", ev], capture_output=True, text=True, errors="replace").stdout.splitlines()
  else:
    lines = open(ev, errors="replace")
  for line in lines:
    try:
      e = json.loads(line)
    except ValueError:
      continue
    if e.get("Event") == "SparkListenerStageExecutorMetrics":
      k, metrics = e["Executor ID"], e.get("Executor Metrics", {})
    elif e.get("Event") == "SparkListenerTaskEnd":
      k, metrics = e.get("Task Info", {}).get("Executor ID"), e.get("Task Executor Metrics", {})
    else:
      continue
    h = metrics.get("JVMHeapMemory", 0)
    used[k] = max(used.get(k, 0), h)
mb = lambda b: f"{b / 1048576:.0f}"
da, db = gc(os.path.join(run, "gc-driver.log")) if os.path.exists(os.path.join(run, "gc-driver.log")) else (0, 0)
driver = f"{da} / {mb(used.get('driver', 0))}"
execs = []
for f in sorted(glob.glob(os.path.join(run, "gc-executor-*.log"))):
  a, b = gc(f)
  execs.append(a)
ex_used = [mb(v) for k, v in sorted(used.items()) if k != "driver"]
executors = ", ".join(str(a) for a in execs) + " / " + ", ".join(ex_used)
sp = re.search(r"blocks spilled to disk: ([0-9.]+) MB of samples in memory-mapped local files \[([^]]*)\]", drv)
if sp:
  spilled = f"{sp.group(1)} MB over host memory [{sp.group(2)}]"
else:
  sp = re.search(r"blocks: ([0-9.]+) MB of samples in memory-mapped local files \[([^]]*)\]", drv)
  spilled = f"none ({sp.group(1)} MB mapped: {sp.group(2)})" if sp else "?"
cv = re.search(r"training data: [0-9]+ samples in [0-9]+ cached partitions \[[^]]*\], converted in ([0-9.]+) s", drv)
convert_s = cv.group(1) if cv else "?"
acc = "?"
try:
  acc = f"{json.load(open(os.path.join(run, 'out', 'metrics.json')))['test_accuracy'] * 100:.2f}%"
except Exception:
  pass
if status != "0":
  why = ", stopped by SCALE_TRAIN_TIMEOUT" if status == "124" else ""
  why += ", OutOfMemoryError" if "OutOfMemoryError" in drv else ""
  acc += f" (exit {status}{why})"
rss = "?"
try:
  t = open(os.path.join(run, "time.txt")).read()
  kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
  rss = f"{kb / 1024:.0f}"
except Exception:
  pass
eps = ", ".join(f"{x:.1f}" for x in ep) or "-"
print(f"| {n:,} | {write_s} | {convert_s} | {eps} | {sps} | {driver} | {executors} | {spilled} | {acc} | {float(wall):.0f} | {rss} | {lb} / {la} |")
