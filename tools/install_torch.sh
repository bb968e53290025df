#!/usr/bin/env bash
# Install the pinned torch / torchvision (requirements/cpu.lock.txt) into a
# virtualenv, preferring the CPU build:
#   1. torch==X+cpu where pip can reach it: pip's own find-links / indexes,
#      then PyTorch's CPU index ($MMLLIE_TORCH_INDEX, empty to skip);
#      torchvision==Y+cpu from there too, else PyPI's torchvision==Y (a CUDA
#      build: `import mmllie` makes it import beside a CPU torch);
#   2. otherwise PyPI's torch==X with its dependencies (the CUDA build on
#      x86_64 Linux, several GB) and torchvision==Y.
# Usage: bash tools/install_torch.sh VENV
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:?usage: install_torch.sh VENV}
LOCK=requirements/cpu.lock.txt
TORCH_INDEX=${MMLLIE_TORCH_INDEX-https://download.pytorch.org/whl/cpu}
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
pin() {
    local v
    v=$(sed -n "s/^$1==\([^ #+]*\).*/\1/p" "$LOCK")
    [ -n "$v" ] || { echo "no '$1==' pin in $LOCK" >&2; exit 1; }
    echo "$v"
}
TORCH=$(pin torch)
TORCHVISION=$(pin torchvision)
# a short probe: an unreachable CPU index must not stall the install
CPU=(--no-deps --retries 1 --timeout 20)
[ -z "$TORCH_INDEX" ] || CPU+=(--extra-index-url "$TORCH_INDEX")
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
if "${PIP[@]}" install "${CPU[@]}" "torch==$TORCH+cpu" 2>"$LOG"; then
    if "${PIP[@]}" install "${CPU[@]}" "torchvision==$TORCHVISION+cpu" \
        2>"$LOG"; then
        echo "torch $TORCH+cpu, torchvision $TORCHVISION+cpu (CPU builds)"
    else
        "${PIP[@]}" install --no-deps "torchvision==$TORCHVISION"
        echo "torch $TORCH+cpu (CPU build), torchvision $TORCHVISION" \
            "(no CPU build reachable; mmllie's import fix makes it load)"
    fi
else
    echo "no CPU build of torch $TORCH reachable ($(tail -n 1 "$LOG"));" \
        "installing PyPI's torch==$TORCH with its dependencies"
    "${PIP[@]}" install "torch==$TORCH"
    "${PIP[@]}" install --no-deps "torchvision==$TORCHVISION"
    echo "torch $TORCH, torchvision $TORCHVISION (PyPI builds)"
fi
