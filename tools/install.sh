#!/usr/bin/env bash
# Create ./.venv (or $MMLLIE_VENV) with the pinned CPU OpenMMLab stack,
# the test tools and mmllie itself (editable). Safe to re-run. Works with
# PyPI alone: torch's CPU build is taken where reachable, else PyPI's
# (tools/install_torch.sh).
#
# Users with a GPU: see docs/en/get_started.md (install your CUDA
# torch/torchvision first, then the rest of the pinned set).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${MMLLIE_VENV:-.venv}
PYTHON=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
PIP="$VENV/bin/pip --disable-pip-version-check -q"
bash tools/install_torch.sh "$VENV"
# --no-deps: a resolver run would pull a CUDA torch, numpy 2 and chumpy;
# torch/torchvision are satisfied by the builds just installed.
$PIP install --no-deps -r requirements/cpu.lock.txt
# test tools, constrained to the pinned stack (keeps numpy 1.x, CPU torch)
$PIP install -c requirements/cpu.lock.txt -r requirements/tests.txt
$PIP install --no-deps --no-build-isolation -e .
"$VENV/bin/python" -c "import mmllie; print('mmllie', mmllie.__version__, 'installed in $VENV')"
