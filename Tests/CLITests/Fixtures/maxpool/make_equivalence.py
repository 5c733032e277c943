"""Writes the VNN-LIB 2.0 epsilon-equivalence queries over the box of cnn_maxpool_eps0.005.vnnlib.

equivalence_0.0012.vnnlib and equivalence_0.0003.vnnlib: networks f and g on tied [1, 1, 14, 14] inputs, violated
when some output differs by more than eps. Against the `nncert compress --quantize 8` copy of cnn_maxpool.onnx
(largest attacked difference about 0.00056) the first is unsat and the second sat (MultiNetworkCLITests).
Run from this folder: python3 make_equivalence.py
"""
import re

SOURCE = "cnn_maxpool_eps0.005.vnnlib"


def box():
    text = open(SOURCE).read()
    lower, upper = {}, {}
    for op, index, value in re.findall(r"\(assert \((<=|>=) X_(\d+) ([-\d.eE+]+)\)\)", text):
        (upper if op == "<=" else lower)[int(index)] = value
    return [(lower[i], upper[i]) for i in range(len(lower))]


def query(eps, bounds):
    lines = [
        "(vnnlib-version <2.0>)",
        "(declare-network f (declare-input X_f real [1, 1, 14, 14]) (declare-output Y_f real [1, 10]))",
        "(declare-network g (declare-input X_g real [1, 1, 14, 14]) (declare-output Y_g real [1, 10]))",
    ]
    for i, (lo, hi) in enumerate(bounds):
        r, c = divmod(i, 14)
        lines.append(f"(assert (and (>= X_f[0,0,{r},{c}] {lo}) (<= X_f[0,0,{r},{c}] {hi})))")
        lines.append(f"(assert (== X_f[0,0,{r},{c}] X_g[0,0,{r},{c}]))")
    violated = " ".join(
        f"(> Y_g[0,{k}] (+ Y_f[0,{k}] {eps})) (< Y_g[0,{k}] (- Y_f[0,{k}] {eps}))" for k in range(10))
    lines.append(f"(assert (or {violated}))")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    bounds = box()
    for eps in ["0.0012", "0.0003"]:
        with open(f"equivalence_{eps}.vnnlib", "w") as out:
            out.write(query(eps, bounds))
