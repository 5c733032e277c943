#!/usr/bin/env bash
# VNN-COMP: prepare_instance.sh v1 <category> <onnx> <vnnlib> — no analysis, only checks that the files load.
set -euo pipefail
[ "$#" -eq 4 ] || { echo "usage: $0 v1 CATEGORY ONNX VNNLIB" >&2; exit 1; }
NNCERT="$(cd "$(dirname "$0")/.." && pwd)/.build/release/nncert"
[ -x "$NNCERT" ] || { echo "nncert is not built: run vnncomp/install_tool.sh" >&2; exit 1; }
pkill -f "$NNCERT verify" 2>/dev/null || true
"$NNCERT" info "$3" > /dev/null
"$NNCERT" info "$4" > /dev/null
