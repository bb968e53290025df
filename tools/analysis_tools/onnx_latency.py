"""Latency of ONNX models in ONNX Runtime (CPU), measured interleaved.

Each repeat runs every model once, in turn, so a change of machine load
hits all of them alike; medians and inter-quartile ranges are reported.

Example:
    python tools/analysis_tools/onnx_latency.py fused.onnx recognizer.onnx \\
        --shape 512 1024 --repeats 20
"""
import argparse
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('models', nargs='+', help='ONNX files')
    parser.add_argument(
        '--shape', type=int, nargs=2, required=True, metavar=('H', 'W'))
    parser.add_argument('--repeats', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument(
        '--threads', type=int, default=0, help='intra-op threads (0: ORT)')
    args = parser.parse_args()
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    sessions = [
        ort.InferenceSession(m, opts, providers=['CPUExecutionProvider'])
        for m in args.models
    ]
    x = (np.random.default_rng(0).random(
        (1, 3, *args.shape)) * 60).astype(np.float32)
    times = [[] for _ in sessions]
    for i in range(args.warmup + args.repeats):
        for s, t in zip(sessions, times):
            start = time.perf_counter()
            s.run(None, {s.get_inputs()[0].name: x})
            if i >= args.warmup:
                t.append(1e3 * (time.perf_counter() - start))
    h, w = args.shape
    print(f'| model ({h}x{w}, {args.repeats} runs) | median ms | IQR ms |')
    print('|---|--:|--:|')
    for m, t in zip(args.models, times):
        q1, med, q3 = np.percentile(t, [25, 50, 75])
        print(f'| {m} | {med:.1f} | {q1:.1f}–{q3:.1f} |')


if __name__ == '__main__':
    main()
