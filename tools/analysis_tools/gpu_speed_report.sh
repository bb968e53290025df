#!/usr/bin/env bash
# All GPU measurements of the speed page in one call (inference variants,
# training-step memory, on-device darkening) on a machine with a CUDA GPU
# and a CUDA PyTorch, writing gpu.json / gpu.md / gpu.log under OUT_DIR.
#
# Usage: bash tools/analysis_tools/gpu_speed_report.sh OUT_DIR [WHEEL_DIR]
#
# WHEEL_DIR (optional) holds wheels of the OpenMMLab stack for that
# machine's Python (mmengine, mmcv-lite, mmsegmentation, mmdet and their
# pure-Python dependencies), installed with --no-deps into a private
# folder when the machine has no package index; the CUDA PyTorch of the
# machine is used as it is.
set -euo pipefail
OUT_DIR=${1:?usage: gpu_speed_report.sh OUT_DIR [WHEEL_DIR]}
WHEELS=${2:-}
PY=${PYTHON:-python3}
mkdir -p "$OUT_DIR"
if [ -n "$WHEELS" ]; then
    "$PY" -m pip install -q --no-index --no-deps --no-compile \
        --no-cache-dir --upgrade --target /tmp/mmllie_site "$WHEELS"/*.whl
    export PYTHONPATH=/tmp/mmllie_site:${PYTHONPATH:-}
fi
export PYTHONPATH=$(pwd):${PYTHONPATH:-}
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm \
    --format=csv | tee "$OUT_DIR/gpu.log"
"$PY" -c 'import torch; print("torch", torch.__version__, torch.version.cuda, torch.cuda.get_device_name())' \
    | tee -a "$OUT_DIR/gpu.log"
"$PY" tools/analysis_tools/benchmark.py --device cuda \
    --sizes 512x1024 640x640 --repeats 20 --warmup 3 --gpu-repeats 100 \
    --baselines LightGPLLIE ZeroDCE IALM \
    --out "$OUT_DIR/gpu.json" ${BENCH_ARGS:-} 2>&1 | tee -a "$OUT_DIR/gpu.log"
