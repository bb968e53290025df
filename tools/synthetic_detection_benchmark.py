"""Detection row of the embedded benchmark (mmdet host).

Generates the procedural street scenes at 128x256 (if absent) with COCO
boxes of their cars and people, evaluates the frozen day-trained RTMDet-nano
(shipped checkpoint) on day and darkened scenes, trains GEM + PAM in front
of it by its own loss, and writes ``results.json`` and ``results.md`` to
``--work-dir``. A separate command from the main job (its 128x256 scenes
and a detector do not fit the main job's 10 minutes). No downloads.

Examples:
    python tools/synthetic_detection_benchmark.py --work-dir work_dirs/det
    # regenerate the shipped day detector (deterministic from its seed)
    python tools/synthetic_detection_benchmark.py --train-recognizer
"""
import argparse
import json
import os
import os.path as osp
import sys
import time

import mmllie  # noqa: F401  (CPU-stack import fixes first)
from mmllie.benchmarks.detection import (DATA, DETECTOR, LEVELS,
                                         prepare_scenes, results_table,
                                         run_detection_benchmark,
                                         train_detector)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', default='work_dirs/synthetic_det')
    parser.add_argument('--data-root', default='data/synthetic_city_det')
    parser.add_argument('--level', default='hard', choices=list(LEVELS))
    parser.add_argument('--iters', type=int, default=300)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--quick',
        action='store_true',
        help='20 iterations, one level, 16 train / 8 val scenes')
    parser.add_argument('--detector', help='day detector weights')
    parser.add_argument(
        '--train-recognizer',
        action='store_true',
        help='(re)train the day detector and exit')
    parser.add_argument(
        '--recognizer-iters',
        type=int,
        help='day detector iterations (default: its config\'s, 2000)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    start = time.time()
    if args.train_recognizer:
        roots = prepare_scenes(args.data_root, [])
        work_dir = osp.join(args.work_dir, 'day_detector')
        out = train_detector(work_dir, roots['day'],
                             osp.join(work_dir, osp.basename(DETECTOR)),
                             args.recognizer_iters)
        print(f'wrote {out}; use it with --detector {out} (the shipped '
              f'one, {DETECTOR}, is left as it is)')
        return
    kwargs = dict(iters=args.iters, data_root=args.data_root)
    if args.quick:  # 16 / 8 scenes in their own folder
        kwargs = dict(
            iters=20,
            levels=(args.level, ),
            data_root=osp.join(args.data_root, 'quick'),
            data=dict(DATA, num_train=16, num_val=8))
    results = run_detection_benchmark(
        args.work_dir,
        level=args.level,
        seed=args.seed,
        detector=args.detector,
        **kwargs)
    results['seconds'] = round(time.time() - start, 1)
    os.makedirs(args.work_dir, exist_ok=True)
    with open(osp.join(args.work_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=2)
    table = results_table(results)
    with open(osp.join(args.work_dir, 'results.md'), 'w') as f:
        f.write(table)
    sys.stdout.write('\n' + table)
    print(f'\n{results["seconds"]:.0f} s; results: {args.work_dir}/'
          'results.json, results.md')


if __name__ == '__main__':
    main()
