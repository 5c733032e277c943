#!/usr/bin/env python3
"""Cactus plot for the branching evaluation: instances solved (y) within a time (x, log scale), one
line per heuristic, one panel per set plus one for all sets; a hand-written standalone SVG.

    python3 benchmarks/branching/cactus.py RESULTS.csv [MORE.csv …] --out plot.svg

(evaluate.py writes the plot itself at the end of a run.) View it as PNG with
    rsvg-convert plot.svg -o plot.png
"""

import argparse
import csv
import math
from xml.sax.saxutils import escape

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
DASH = {"babsr": "", "fsb": "6,3", "gnn": "", "gnn-online": "2,2"}


def solved_times(rows, heuristic, set_name):
    out = []
    for r in rows:
        if r["heuristic"] != heuristic or (set_name != "all" and r["set"] != set_name):
            continue
        if r["verdict"] in ("sat", "unsat") and r.get("check") != "WRONG" and r.get("seconds"):
            out.append(min(float(r["seconds"]), float(r["timeout"])))
    return sorted(out)


def panel(rows, set_name, heur, x0, y0, w, h, tmin, tmax):
    n = len({(r["onnx"], r["vnnlib"], r["set"]) for r in rows if set_name == "all" or r["set"] == set_name})
    parts = []
    lx0, lx1 = math.log10(tmin), math.log10(tmax)

    def X(t):
        t = min(max(t, tmin), tmax)
        return x0 + (math.log10(t) - lx0) / (lx1 - lx0) * w

    def Y(k):
        return y0 + h - (k / max(n, 1)) * h

    parts.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="white" stroke="#444"/>')
    parts.append(f'<text x="{x0 + w / 2}" y="{y0 - 8}" text-anchor="middle" font-size="13" font-weight="bold">'
                 f'{escape(set_name)} ({n} instances)</text>')
    e = math.floor(lx0)
    while e <= lx1:
        for m in (1, 2, 5):
            t = m * 10 ** e
            if tmin <= t <= tmax:
                xx = X(t)
                parts.append(f'<line x1="{xx:.1f}" y1="{y0}" x2="{xx:.1f}" y2="{y0 + h}" stroke="#ddd"/>')
                label = f"{t:g}"
                parts.append(f'<text x="{xx:.1f}" y="{y0 + h + 14}" text-anchor="middle" font-size="10">{label}</text>')
        e += 1
    step = max(1, math.ceil(n / 8))
    for k in range(0, n + 1, step):
        parts.append(f'<line x1="{x0}" y1="{Y(k):.1f}" x2="{x0 + w}" y2="{Y(k):.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{x0 - 5}" y="{Y(k) + 4:.1f}" text-anchor="end" font-size="10">{k}</text>')
    parts.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 30}" text-anchor="middle" font-size="11">time (s, log scale)</text>')
    parts.append(f'<text x="{x0 - 30}" y="{y0 + h / 2}" text-anchor="middle" font-size="11" '
                 f'transform="rotate(-90 {x0 - 30} {y0 + h / 2})">instances solved</text>')
    for c, hname in enumerate(heur):
        ts = solved_times(rows, hname, set_name)
        pts = [(X(tmin), Y(0))]
        for k, t in enumerate(ts):
            pts.append((X(t), Y(k)))
            pts.append((X(t), Y(k + 1)))
        pts.append((X(tmax), Y(len(ts))))
        d = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
        dash = DASH.get(hname, "")
        parts.append(f'<polyline points="{d}" fill="none" stroke="{COLOURS[c % len(COLOURS)]}" stroke-width="2"'
                     + (f' stroke-dasharray="{dash}"' if dash else "") + '/>')
    return parts


def distinct(rows, key):
    """The values of `key` in `rows`, each once, in order of first appearance."""
    out = []
    for r in rows:
        if r[key] not in out:
            out.append(r[key])
    return out


def write(rows, path, title=None):
    heur, sets = distinct(rows, "heuristic"), distinct(rows, "set")
    panels = sets + (["all"] if len(sets) > 1 else [])
    tmax = max(float(r["timeout"]) for r in rows)
    tmin = 0.1
    for r in rows:
        if r["verdict"] in ("sat", "unsat") and r.get("seconds"):
            tmin = min(tmin, max(float(r["seconds"]), 0.01))
    tmin = 10 ** math.floor(math.log10(tmin))
    pw, ph, cols = 300, 200, 2
    rows_n = math.ceil(len(panels) / cols)
    W, H = 60 + cols * (pw + 70), 70 + rows_n * (ph + 70) + 20 * len(heur)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           f'font-family="sans-serif">', f'<rect width="{W}" height="{H}" fill="white"/>']
    out.append(f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15">'
               f'{escape(title or "ReLU-split BaB: instances solved vs time per instance")} '
               f'(limit {tmax:g} s)</text>')
    for k, s in enumerate(panels):
        x0 = 70 + (k % cols) * (pw + 70)
        y0 = 55 + (k // cols) * (ph + 70)
        out += panel(rows, s, heur, x0, y0, pw, ph, tmin, tmax)
    ly = 55 + rows_n * (ph + 70)
    for c, hname in enumerate(heur):
        y = ly + 20 * c
        dash = DASH.get(hname, "")
        out.append(f'<line x1="80" y1="{y}" x2="120" y2="{y}" stroke="{COLOURS[c % len(COLOURS)]}" stroke-width="2"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + '/>')
        n_solved = len(solved_times(rows, hname, "all"))
        out.append(f'<text x="128" y="{y + 4}" font-size="12">{escape(hname)} ({n_solved} solved)</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description="Cactus plot (SVG) from evaluate.py CSVs.")
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--title")
    args = ap.parse_args()
    rows = []
    for p in args.csv:
        rows += list(csv.DictReader(open(p)))
    write(rows, args.out, args.title)


if __name__ == "__main__":
    main()
