"""Classification row of the embedded benchmark (mmpretrain host).

Crops the objects of the procedural street scenes (generated if absent, the
same folders as tools/synthetic_night_benchmark.py), evaluates the frozen
day-trained crop classifier (shipped checkpoint) on day and darkened crops,
trains GEM + PAM in front of it by its own loss, and writes ``results.json``
and ``results.md`` to ``--work-dir``. No downloads.

Examples:
    python tools/synthetic_classification_benchmark.py --work-dir work_dirs/cls
    # regenerate the shipped day classifier (deterministic from its seed)
    python tools/synthetic_classification_benchmark.py --train-recognizer
"""
import argparse
import json
import os
import os.path as osp
import sys
import time

import mmllie  # noqa: F401  (CPU-stack import fixes first)
from mmllie.benchmarks.classification import (CLASSIFIER, LEVELS,
                                              prepare_crops, results_table,
                                              run_classification_benchmark,
                                              train_classifier)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', default='work_dirs/synthetic_cls')
    parser.add_argument('--data-root', default='data/synthetic_city_64x128')
    parser.add_argument('--level', default='hard', choices=list(LEVELS))
    parser.add_argument('--iters', type=int, default=300)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--quick', action='store_true', help='40 iterations, one level')
    parser.add_argument('--classifier', help='day classifier weights')
    parser.add_argument(
        '--train-recognizer',
        action='store_true',
        help='(re)train the day classifier and exit')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    start = time.time()
    if args.train_recognizer:
        crops = prepare_crops(args.data_root, [])
        work_dir = osp.join(args.work_dir, 'day_classifier')
        out = train_classifier(work_dir, crops['day'],
                               osp.join(work_dir, osp.basename(CLASSIFIER)))
        print(f'wrote {out}; use it with --classifier {out} (the shipped '
              f'one, {CLASSIFIER}, is left as it is)')
        return
    kwargs = dict(iters=args.iters)
    if args.quick:
        kwargs = dict(iters=40, levels=(args.level, ))
    results = run_classification_benchmark(
        args.work_dir,
        data_root=args.data_root,
        level=args.level,
        seed=args.seed,
        classifier=args.classifier,
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
