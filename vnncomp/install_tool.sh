#!/usr/bin/env bash
# VNN-COMP: install_tool.sh v1 — installs the C libraries and builds nncert (release).
set -euo pipefail
cd "$(dirname "$0")/.."
make release
