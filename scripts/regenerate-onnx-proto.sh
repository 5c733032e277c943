#!/usr/bin/env bash
# Regenerates Sources/ONNX/Generated/onnx.pb.swift from the ONNX protobuf schema.
#
# Inputs (all offline):
#   - protoc                 Debian package `protobuf-compiler`
#   - protoc-gen-swift       built from the swift-protobuf package at the version Package.swift uses (1.39.0);
#                            cloned from $SWIFT_PROTOBUF_GIT (default: /opt/swift-packages/apple/swift-protobuf.git,
#                            or https://github.com/apple/swift-protobuf.git) into a temporary directory, or taken
#                            from $PROTOC_GEN_SWIFT when that points at an existing binary.
#   - onnx/onnx.proto        from the installed `onnx` Python wheel (`pip install onnx`), or $ONNX_PROTO.
#
# The generated types are `internal` (--swift_opt=Visibility=Internal): the ONNX module's public API exposes only
# `Network`, never protobuf messages. Running the script twice gives the same file (idempotent).
#
# Usage: scripts/regenerate-onnx-proto.sh        (from anywhere inside the repository)
set -euo pipefail

SWIFT_PROTOBUF_VERSION=1.39.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/Sources/ONNX/Generated"

command -v protoc >/dev/null || { echo "protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }

if [[ -z "${ONNX_PROTO:-}" ]]; then
    ONNX_DIR="$(python3 -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')"
    ONNX_PROTO="$ONNX_DIR/onnx.proto"
fi
[[ -f "$ONNX_PROTO" ]] || { echo "onnx.proto not found at $ONNX_PROTO" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [[ -z "${PROTOC_GEN_SWIFT:-}" || ! -x "${PROTOC_GEN_SWIFT}" ]]; then
    SRC="${SWIFT_PROTOBUF_GIT:-/opt/swift-packages/apple/swift-protobuf.git}"
    [[ -d "$SRC" ]] || SRC="https://github.com/apple/swift-protobuf.git"
    git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$SWIFT_PROTOBUF_VERSION" "$SRC" "$WORK/swift-protobuf"
    (cd "$WORK/swift-protobuf" && swift build -c release --product protoc-gen-swift >&2)
    PROTOC_GEN_SWIFT="$WORK/swift-protobuf/.build/release/protoc-gen-swift"
fi

# protoc names the output after the .proto file; copy the schema so the generated file is `onnx.pb.swift`.
mkdir -p "$WORK/proto" "$WORK/out" "$OUT_DIR"
cp "$ONNX_PROTO" "$WORK/proto/onnx.proto"
protoc --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
    --proto_path="$WORK/proto" \
    --swift_out="$WORK/out" \
    --swift_opt=Visibility=Internal \
    "$WORK/proto/onnx.proto"
cp "$WORK/out/onnx.pb.swift" "$OUT_DIR/onnx.pb.swift"
echo "wrote $OUT_DIR/onnx.pb.swift ($(wc -c < "$OUT_DIR/onnx.pb.swift") bytes)"
