#!/usr/bin/env python3
"""Property sets for issue 13 (learned GNN branching): training sets and held-out evaluation sets.

One command regenerates everything (deterministic, seeded; no nncert run involved):

    python3 benchmarks/branching/make_properties.py

It writes, under benchmarks/branching/properties/ (the default --out):
  calibration.csv          (input, committed) the calibrated ε of each training property
  train-cifar-base.csv     training properties on cifar_base_kw (one target class each)
  train-mnist-256x2.csv    training properties on mnist-net_256x2 (one target class each)
  eval-oval21-base.csv     held-out (a): the 10 oval21 base instances, as VNN-COMP ships them
  eval-cifar-wide-deep.csv held-out (b): generated properties on cifar_wide_kw and cifar_deep_kw
  eval-mnistfc-4-6.csv     held-out (c): VNN-COMP mnistfc 256x4 and 256x6 instances
  train/*.vnnlib, eval/*.vnnlib   the generated property files (git-ignored: the CIFAR ones are
                                  ~330 KB each; the .csv lists are committed and this script
                                  rebuilds the files byte for byte)

Each list is a CSV `set,onnx,vnnlib,expected,note`. Paths starting with `shared:` are relative to the
shared benchmark folder (--benchmarks, default ../shared/benchmarks from the repository root, i.e.
/work/shared/benchmarks); other paths are relative to the repository root. `expected` is sat/unsat
where known (VNN-COMP's expected.csv), empty otherwise.

How the centres are recovered. oval21's base files state the input box coordinate by coordinate,
`(assert (<= X_i hi))` / `(assert (>= X_i lo))`, in the network's normalised input space
((pixel − mean_c) / 0.225, mean = 0.485, 0.456, 0.406, NCHW order, 3×32×32 = 3072 inputs), the box
being centre ± ε/0.225 clipped to the image range [0, 1] in pixel space. So the centre is the
midpoint where the box is not clipped, hi − ε/0.225 where it is clipped at the bottom and
lo + ε/0.225 where it is clipped at the top; ε is in the file name. We check that the recovered
pixels are multiples of 1/255 (they are, to 1e-5) and that the network classifies the centre as the
file's true class. The output constraint of the originals is the disjunction over all nine other
classes, `(or (and (<= Y_t Y_j)) …)` (a counterexample is any j with y_j ≥ y_t). Our generated
properties have ONE target class each, `(assert (<= Y_t Y_j))`, as in Lu & Kumar's datasets.
mnistfc files state the box in pixel space [0, 1] (input shape 1×784×1), centre ± ε clipped to
[0, 1]; we recover the centre from prop_i_0.03.vnnlib and cross-check it against prop_i_0.05.vnnlib.

How ε was chosen: the training properties' ε comes from properties/calibration.csv, written by
`make_properties.py --calibrate NNCERT` (per property, BaBSR probes until the property needs branching:
neither sat nor closed within 3 nodes; see calibrate()); the rule values CIFAR_TRAIN_FACTORS and
MNIST_TRAIN_EPS below are the probes' starting points and the fallback for properties without an entry.
The held-out set (b) uses the fixed WIDE_DEEP_FACTORS (not calibrated). docs/benchmarks.md, "Branching:
learned GNN vs BaBSR and FSB (issue 13)", has the runs. The generated properties are not all decidable
in the evaluation's time limit; the evaluation reports what each heuristic solves.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys

import numpy as np

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CIFAR_MEAN = np.array([0.485, 0.456, 0.406])
CIFAR_STD = 0.225

# ε of a generated CIFAR training property = factor × the image's original oval21 ε. A single
# target class is a weaker property than the originals' nine-way disjunction, so factors ≥ 1 keep it
# from being unsat at the root. Calibrated on cifar_base_kw (see the docstring).
CIFAR_TRAIN_FACTORS = (1.25, 1.6)
CIFAR_TRAIN_TARGETS = 3          # target classes per (image, factor)
# Held-out (b): ε factor per network, one target class per image, all 10 images → 5 per network.
WIDE_DEEP_FACTORS = {"cifar_wide_kw": 1.4, "cifar_deep_kw": 1.4}
WIDE_DEEP_IMAGES_PER_NET = 5
# MNIST-FC 256x2 training: other ε than VNN-COMP's 0.03 and 0.05.
MNIST_TRAIN_EPS = (0.025, 0.04)
MNIST_TRAIN_TARGETS = 2
# Held-out (c): VNN-COMP mnistfc instances on 256x4 and 256x6. A 10-s BaBSR screen of all 22 with
# expected verdict unsat (docs/benchmarks.md) splits them in two: 15 close at the root (1 node, ~1 s:
# branching never runs) and 7 need branching (not decided in 10 s). The set: those 7, plus per
# network one root-closed unsat and one sat instance (seeded picks; cheap soundness checks).
MNISTFC_BRANCHING = {
    "mnist-net_256x4.onnx": ("prop_0_0.03", "prop_5_0.03", "prop_9_0.03", "prop_13_0.03", "prop_10_0.05"),
    "mnist-net_256x6.onnx": ("prop_5_0.03", "prop_6_0.05"),
}

SEED = 13


def read_box(path):
    text = open(path).read()
    ub = {int(a): float(b) for a, b in re.findall(r"\(assert \(<= X_(\d+) ([-+\d.eE]+)\)\)", text)}
    lb = {int(a): float(b) for a, b in re.findall(r"\(assert \(>= X_(\d+) ([-+\d.eE]+)\)\)", text)}
    n = max(ub) + 1
    if sorted(ub) != list(range(n)) or sorted(lb) != list(range(n)):
        raise SystemExit(f"{path}: input box not stated coordinate by coordinate")
    return np.array([lb[i] for i in range(n)]), np.array([ub[i] for i in range(n)]), text


def true_class(text):
    m = re.search(r"\(<= Y_(\d+) Y_\d+\)", text)      # oval21: (<= Y_t Y_j)
    if m:
        return int(m.group(1))
    m = re.search(r"\(>= Y_\d+ Y_(\d+)\)", text)      # mnistfc: (>= Y_j Y_t)
    return int(m.group(1))


def cifar_centre(path):
    eps = float(re.search(r"eps([\d.]+)\.vnnlib", path).group(1))
    lo, hi, text = read_box(path)
    half = eps / CIFAR_STD
    ch = np.repeat(np.arange(3), 1024)
    clip_lo = (0 - CIFAR_MEAN[ch]) / CIFAR_STD
    clip_hi = (1 - CIFAR_MEAN[ch]) / CIFAR_STD
    centre = (lo + hi) / 2
    bottom = np.abs(lo - clip_lo) < 1e-5
    top = np.abs(hi - clip_hi) < 1e-5
    centre[bottom] = hi[bottom] - half
    centre[top] = lo[top] + half
    pixels = centre * CIFAR_STD + CIFAR_MEAN[ch]
    if np.max(np.abs(pixels * 255 - np.round(pixels * 255))) > 1e-3:
        raise SystemExit(f"{path}: recovered centre is not a multiple of 1/255")
    pixels = np.round(pixels * 255) / 255
    img = int(re.search(r"img(\d+)", path).group(1))
    return img, eps, (pixels - CIFAR_MEAN[ch]) / CIFAR_STD, true_class(text)


def cifar_box(centre, eps):
    ch = np.repeat(np.arange(3), 1024)
    lo = np.maximum(centre - eps / CIFAR_STD, (0 - CIFAR_MEAN[ch]) / CIFAR_STD)
    hi = np.minimum(centre + eps / CIFAR_STD, (1 - CIFAR_MEAN[ch]) / CIFAR_STD)
    return lo, hi


def mnist_centre(bench, i):
    x = None
    for eps in (0.03, 0.05):
        lo, hi, text = read_box(os.path.join(bench, "mnistfc", f"prop_{i}_{eps}.vnnlib"))
        c = (lo + hi) / 2
        c[lo <= 0] = hi[lo <= 0] - eps
        c[hi >= 1] = lo[hi >= 1] + eps
        c = np.clip(c, 0, 1)
        if x is None:
            x, label = c, true_class(text)
        elif np.max(np.abs(x - c)) > 1e-6:
            raise SystemExit(f"mnistfc prop_{i}: centres of the 0.03 and 0.05 files differ")
    return np.round(x * 255) / 255, label


def write_vnnlib(path, comment, lo, hi, true, target, nout=10):
    lines = [f"; {comment}", ""]
    lines += [f"(declare-const X_{i} Real)" for i in range(len(lo))]
    lines += [""] + [f"(declare-const Y_{j} Real)" for j in range(nout)]
    lines += ["", "; Input constraints:"]
    for i in range(len(lo)):
        lines.append(f"(assert (<= X_{i} {repr(float(hi[i]))}))")
        lines.append(f"(assert (>= X_{i} {repr(float(lo[i]))}))")
    lines += ["", f"; Output constraint (a counterexample: y_{target} >= y_{true}):",
              f"(assert (<= Y_{true} Y_{target}))", ""]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines))


class Classifier:
    def __init__(self, onnx_path):
        try:
            import onnxruntime as ort
        except ImportError:
            # Without it misclassified images would not be skipped, and the sets would differ from the committed
            # lists (cifar_deep_kw misclassifies image 3161, which shifts every later target class).
            raise SystemExit("make_properties.py needs onnxruntime (pip install onnxruntime) to skip misclassified images")
        self.session = ort.InferenceSession(onnx_path)
        self.inp = self.session.get_inputs()[0]

    def __call__(self, x):
        if self.session is None:
            return None
        shape = [d if isinstance(d, int) else 1 for d in self.inp.shape]
        y = self.session.run(None, {self.inp.name: x.reshape(shape).astype(np.float32)})[0]
        return int(np.argmax(y.reshape(-1)))


def write_property(p, eps, path):
    if p["kind"] == "mnist":
        lo, hi = np.clip(p["x"] - eps, 0, 1), np.clip(p["x"] + eps, 0, 1)
    else:
        lo, hi = cifar_box(p["x"], eps)
    write_vnnlib(path, p["comment"].replace("{eps}", repr(float(eps))), lo, hi, p["t"], p["target"])


def probe(binary, p, eps, timeout, tmp):
    """One calibration run: BaBSR ReLU splitting on the property at ε. Returns (class, verdict, nodes, seconds):
    'big' (sat: a counterexample), 'small' (unsat within 3 nodes: no branching to learn from) or 'ok'."""
    path = os.path.join(tmp, "probe.vnnlib")
    write_property(p, eps, path)
    out = subprocess.run([binary, "verify", p["net"], path, "--mode", "relu-split", "--branching", "babsr",
                          "--timeout", str(timeout), "--json"], capture_output=True, text=True).stdout
    try:
        j = json.loads(out[out.index("{"):])
    except ValueError:
        return "ok", "error", 0, 0.0
    v, n = j.get("verdict", ""), int(j.get("nodes", 0))
    cls = "big" if v == "sat" else "small" if (v == "unsat" and n <= 3) else "ok"
    return cls, v, n, float(j.get("seconds", 0))


def calibrate(rows, binary, timeout, cal_path, calibrated, max_probes=6):
    """Per training property: search ε (geometric steps ×1.5 from the rule's ε, then bisection) until a BaBSR run
    neither finds a counterexample nor proves it within 3 nodes; the largest 'small' ε if none does. Appends
    key,eps,how to cal_path as it goes (so an interrupted run keeps its results)."""
    import tempfile
    tmp = tempfile.mkdtemp(prefix="nncert-calibrate-")
    new = not os.path.exists(cal_path)
    f = open(cal_path, "a", newline="")
    w = csv.writer(f, lineterminator="\n")
    if new:
        w.writerow(["key", "eps", "how"])
    for r in rows:
        p = r[5]
        if p["key"] in calibrated:
            continue
        lo = hi = None
        eps, log, chosen = p["start"], [], None
        for _ in range(max_probes):
            cls, v, n, sec = probe(binary, p, eps, timeout, tmp)
            log.append(f"{eps:.6g}:{v}/{n}")
            if cls == "ok":
                chosen = eps
                break
            if cls == "small":
                lo = eps
                eps = eps * 1.5 if hi is None else (eps * hi) ** 0.5
            else:
                hi = eps
                eps = eps / 1.5 if lo is None else (lo * eps) ** 0.5
        how = "calibrated"
        if chosen is None:
            chosen, how = (lo, "calibrated, easy") if lo is not None else (hi, "calibrated, sat")
        how += " [" + " ".join(log) + "]"
        calibrated[p["key"]] = (chosen, how)
        w.writerow([p["key"], repr(float(chosen)), how])
        f.flush()
        print(f"{p['key']}: eps {chosen:.6g} ({how})", flush=True)
    f.close()


def rel(path):
    return os.path.relpath(path, REPO)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--benchmarks", default=os.path.normpath(os.path.join(REPO, "..", "shared", "benchmarks")),
                    help="shared benchmark folder (oval21/, mnistfc/)")
    ap.add_argument("--out", default=os.path.join(REPO, "benchmarks", "branching", "properties"))
    ap.add_argument("--lists-only", action="store_true", help="write the CSV lists, not the .vnnlib files")
    ap.add_argument("--calibrate", metavar="NNCERT",
                    help="first calibrate ε of the training properties missing from properties/calibration.csv "
                         "with this nncert binary (BaBSR probes), then write everything")
    ap.add_argument("--probe-timeout", type=float, default=15, help="seconds per calibration probe (default 15)")
    ap.add_argument("--calibrate-sets", default="train-cifar-base,train-mnist-256x2")
    args = ap.parse_args()
    cal_path = os.path.join(REPO, "benchmarks", "branching", "properties", "calibration.csv")
    calibrated = {}
    if os.path.exists(cal_path):
        for r in csv.DictReader(open(cal_path)):
            calibrated[r["key"]] = (float(r["eps"]), r["how"])
    bench, out = args.benchmarks, args.out
    rng = np.random.default_rng(SEED)

    # --- CIFAR centres from oval21's base properties ---------------------------------------
    oval = os.path.join(bench, "oval21")
    inst = [r for r in csv.reader(open(os.path.join(oval, "instances.csv"))) if r]
    expected = {r[1]: r[2] for r in csv.reader(open(os.path.join(oval, "expected.csv"))) if r and r[0] != "onnx"}
    centres = [cifar_centre(os.path.join(oval, r[1])) for r in inst]
    centres.sort(key=lambda c: c[0])
    nets = {n: Classifier(os.path.join(oval, n + ".onnx")) for n in ("cifar_base_kw", "cifar_wide_kw", "cifar_deep_kw")}
    for img, eps, x, t in centres:
        got = nets["cifar_base_kw"](x)
        if got is not None and got != t:
            raise SystemExit(f"cifar_base_kw classifies image {img} as {got}, its property says {t}")

    rows = {}
    # (a) held-out: oval21 base instances as shipped.
    rows["eval-oval21-base"] = [("eval-oval21-base", "shared:oval21/" + r[0], "shared:oval21/" + r[1],
                                 expected.get(r[1], ""), "VNN-COMP oval21 base (9 other classes)") for r in inst]

    # training: cifar_base_kw, other ε and single target classes.
    train = []
    for img, eps0, x, t in centres:
        for k, factor in enumerate(CIFAR_TRAIN_FACTORS):
            others = [j for j in range(10) if j != t]
            for target in sorted(rng.choice(others, CIFAR_TRAIN_TARGETS, replace=False)):
                key = f"cifar_base_kw-img{img}-f{k}-t{t}-y{target}"
                eps, how = calibrated.get(key, (eps0 * factor, f"{factor} x {eps0:.6f}"))
                name = f"train/cifar_base_kw-img{img}-eps{eps:.6f}-t{t}-y{target}.vnnlib"
                train.append(("train-cifar-base", "shared:oval21/cifar_base_kw.onnx", rel(os.path.join(out, name)), "",
                              f"image {img} (oval21 base), eps {eps:.6f} ({how}), true {t}, target {target}",
                              dict(kind="cifar", key=key, x=x, eps=eps, start=eps0 * factor, t=t, target=int(target),
                                   net=os.path.join(oval, "cifar_base_kw.onnx"), path=os.path.join(out, name),
                                   comment=f"cifar_base_kw training property: CIFAR10 test image {img}, l_inf eps {{eps}} (pixel space), true class {t}, target {target}; made by benchmarks/branching/make_properties.py")))
    rows["train-cifar-base"] = train

    # (b) held-out: cifar_wide_kw and cifar_deep_kw, images split between the two networks.
    order = list(rng.permutation(len(centres)))
    wide_deep = []
    for k, net in enumerate(("cifar_wide_kw", "cifar_deep_kw")):
        picked = order[k * WIDE_DEEP_IMAGES_PER_NET:(k + 1) * WIDE_DEEP_IMAGES_PER_NET]
        for idx in sorted(picked, key=lambda i: centres[i][0]):
            img, eps0, x, t = centres[idx]
            got = nets[net](x)
            if got is not None and got != t:
                print(f"note: {net} classifies image {img} as {got} (true {t}); skipped", file=sys.stderr)
                continue
            eps = eps0 * WIDE_DEEP_FACTORS[net]
            target = int(rng.choice([j for j in range(10) if j != t]))
            name = f"eval/{net}-img{img}-eps{eps:.6f}-t{t}-y{target}.vnnlib"
            wide_deep.append(("eval-cifar-wide-deep", f"shared:oval21/{net}.onnx", rel(os.path.join(out, name)), "",
                              f"image {img}, eps {eps:.6f} = {WIDE_DEEP_FACTORS[net]} x {eps0:.6f}, true {t}, target {target}",
                              dict(kind="cifar", x=x, eps=eps, t=t, target=target, path=os.path.join(out, name),
                                   comment=f"{net} evaluation property: CIFAR10 test image {img}, l_inf eps {{eps}} (pixel space), true class {t}, target {target}; made by benchmarks/branching/make_properties.py")))
    rows["eval-cifar-wide-deep"] = wide_deep

    # MNIST training: 256x2, centres of prop_0..14, other ε, single targets.
    mnist = Classifier(os.path.join(bench, "mnistfc", "mnist-net_256x2.onnx"))
    mtrain = []
    for i in range(15):
        x, t = mnist_centre(bench, i)
        got = mnist(x)
        if got is not None and got != t:
            print(f"note: mnist-net_256x2 classifies prop_{i}'s image as {got} (label {t}); skipped", file=sys.stderr)
            continue
        for k, eps_rule in enumerate(MNIST_TRAIN_EPS):
            for target in sorted(rng.choice([j for j in range(10) if j != t], MNIST_TRAIN_TARGETS, replace=False)):
                key = f"mnist-net_256x2-prop{i}-e{k}-t{t}-y{target}"
                eps, how = calibrated.get(key, (eps_rule, "rule"))
                name = f"train/mnist-net_256x2-prop{i}-eps{eps:.6g}-t{t}-y{target}.vnnlib"
                mtrain.append(("train-mnist-256x2", "shared:mnistfc/mnist-net_256x2.onnx", rel(os.path.join(out, name)), "",
                               f"mnistfc prop_{i} image, eps {eps:.6g} ({how}), true {t}, target {target}",
                               dict(kind="mnist", key=key, x=x, eps=eps, start=eps_rule, t=t, target=int(target),
                                    net=os.path.join(bench, "mnistfc", "mnist-net_256x2.onnx"), path=os.path.join(out, name),
                                    comment=f"mnist-net_256x2 training property: image of mnistfc prop_{i}, l_inf eps {{eps}}, true class {t}, target {target}; made by benchmarks/branching/make_properties.py")))
    rows["train-mnist-256x2"] = mtrain

    # (c) held-out: VNN-COMP mnistfc 256x4 / 256x6 instances with a known verdict.
    mexp = [r for r in csv.reader(open(os.path.join(bench, "mnistfc", "expected.csv"))) if r and r[0] != "onnx"]
    mrows = []
    for net in ("mnist-net_256x4.onnx", "mnist-net_256x6.onnx"):
        cands = [r for r in mexp if r[0] == net]
        hard = [r for r in cands if r[1][:-len(".vnnlib")] in MNISTFC_BRANCHING[net]]
        assert len(hard) == len(MNISTFC_BRANCHING[net]) and all(r[2] == "unsat" for r in hard)
        easy = [r for r in cands if r[2] == "unsat" and r not in hard]
        sat = [r for r in cands if r[2] == "sat"]
        for r in hard:
            mrows.append(("eval-mnistfc-4-6", "shared:mnistfc/" + r[0], "shared:mnistfc/" + r[1], r[2],
                          "VNN-COMP mnistfc; needs branching"))
        for r, what in ((easy[int(rng.integers(len(easy)))], "closes at the root"),
                        (sat[int(rng.integers(len(sat)))], "sat")):
            mrows.append(("eval-mnistfc-4-6", "shared:mnistfc/" + r[0], "shared:mnistfc/" + r[1], r[2],
                          "VNN-COMP mnistfc; " + what))
    rows["eval-mnistfc-4-6"] = mrows

    if args.calibrate:
        for name in args.calibrate_sets.split(","):
            calibrate(rows[name], args.calibrate, args.probe_timeout, cal_path, calibrated)
        print("calibrated; run again without --calibrate to write the files", file=sys.stderr)
        return

    os.makedirs(out, exist_ok=True)
    if not args.lists_only:
        for sub in ("train", "eval"):                  # stale files of an earlier calibration
            d = os.path.join(out, sub)
            for fn in os.listdir(d) if os.path.isdir(d) else []:
                if fn.endswith(".vnnlib"):
                    os.remove(os.path.join(d, fn))
    for name, rs in rows.items():
        with open(os.path.join(out, name + ".csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["set", "onnx", "vnnlib", "expected", "note"])
            for r in rs:
                w.writerow(r[:5])
        made = 0
        if not args.lists_only:
            for r in rs:
                if len(r) < 6:
                    continue
                write_property(r[5], r[5]["eps"], r[5]["path"])
                made += 1
        print(f"{name}: {len(rs)} instances ({made} property files written)")


if __name__ == "__main__":
    main()
