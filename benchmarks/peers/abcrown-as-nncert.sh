#!/bin/sh
# Presents alpha-beta-CROWN (set up as ../shared/peers/abcrown/README.md says) as an nncert binary, so that
# benchmarks/compare.py runs it back to back with nncert, interleaved per instance:
#
#   python3 benchmarks/compare.py ../shared/benchmarks/oval21 --max-timeout 120 \
#       --baseline benchmarks/peers/abcrown-as-nncert.sh --baseline-label abcrown --candidate .build/release/nncert
#
# Called as `abcrown-as-nncert.sh verify NET PROP --timeout T --result R`; runs `$ABCROWN/run.sh NET PROP T R CFG`
# and prints the verdict (the result file's first line) as nncert would. The time compare.py measures includes
# alpha-beta-CROWN's Python start-up (about 5 s).
# Environment: ABCROWN (default /work/peer/abcrown); ABCROWN_CONFIG (acasxu, mnistfc, oval21, none or a YAML
# file; default: run.sh's guess from NET's file name).
set -eu
[ "${1:-}" = verify ] || { echo "usage: $0 verify NET PROP --timeout T --result R" >&2; exit 64; }
net=$2 prop=$3 timeout=300 result=$(mktemp)
shift 3
while [ $# -gt 0 ]; do
    case $1 in
        --timeout) timeout=$2; shift 2 ;;
        --result) result=$2; shift 2 ;;
        *) shift ;;
    esac
done
"${ABCROWN:-/work/peer/abcrown}/run.sh" "$net" "$prop" "$timeout" "$result" "${ABCROWN_CONFIG:-}" >/dev/null 2>&1 || true
verdict=$(head -n 1 "$result" 2>/dev/null || true)
echo "${verdict:-unknown}"
