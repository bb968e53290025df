"""The README's quick-start job: the paper's experiment on generated data.

Generates procedural street scenes in the NightCity layout (if absent),
evaluates the frozen day-trained DeepLabV3+ (shipped checkpoint) on day and
night images, trains GEM + PAM in front of it by its own loss (``--full``:
also GEM only, PAM only, Zero-DCE, IALM and a second seed), and writes
``results.json``, ``results.md`` and ``figure.png`` to ``--work-dir``.
``--sweep`` instead trains on 2 / 8 / 32 / 800 scenes and tests on unseen
and other-style scenes (``sweep.json``, ``sweep.md``, ``sweep.png``).
``--real`` runs the same experiment on real frames: a Cityscapes-layout
``--data-root``, the user's recognizer (``--recognizer``) and its labelled
and label-free recipe configs; per level (``--levels``, default normal and
hard) day / no enhancer / start / both trained recipes, with per-image
counts of frames made worse (``results.json``, ``results.md``).
No downloads.

Examples:
    python tools/synthetic_night_benchmark.py --work-dir work_dirs/night
    python tools/synthetic_night_benchmark.py --full --work-dir work_dirs/f
    python tools/synthetic_night_benchmark.py --sweep --work-dir work_dirs/s
    python tools/synthetic_night_benchmark.py --quick --work-dir /tmp/q
    # real frames and a real recognizer: the labelled and label-free
    # recipe configs (projects/espnetv2_cityscapes/configs/gpllie-*.py)
    python tools/synthetic_night_benchmark.py --work-dir work_dirs/real \
        --real LABELLED_CONFIG LABEL_FREE_CONFIG \
        --recognizer espnetv2_s2.0_city_mmseg.pth --data-root data/cityscapes
    # retrain the shipped day recognizer (deterministic from its seed)
    # into the work dir; the shipped file is never overwritten
    python tools/synthetic_night_benchmark.py --train-recognizer
    # other scenes: a day recognizer for them, then the benchmark
    python tools/synthetic_night_benchmark.py --img-size 256 512 \
        --train-recognizer --work-dir work_dirs/n256 --data-root data/c256
    python tools/synthetic_night_benchmark.py --img-size 256 512 \
        --work-dir work_dirs/n256 --data-root data/c256 --recognizer \
        work_dirs/n256/day_recognizer/synthetic_deeplabv3plus_r18-tiny_day-256x512.pth
"""
import argparse
import os.path as osp
import sys
import time

import mmllie  # noqa: F401  (CPU-stack import fixes first)
from mmllie.benchmarks import SETTINGS, run_synthetic_night_benchmark
from mmllie.benchmarks.generalisation import SIZES, run_generalisation_sweep
from mmllie.benchmarks.real_night import LEVELS as REAL_LEVELS
from mmllie.benchmarks.real_night import run_real_night_benchmark
from mmllie.benchmarks.synthetic_night import (DATA, RECOGNIZER,
                                               RECOGNIZER_ITERS, STAGE1_DATA,
                                               prepare_data, stage1_root,
                                               train_recognizer)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', default='work_dirs/synthetic_night')
    parser.add_argument(
        '--data-root',
        help='generated data (default data/synthetic_city); with --real: '
        'a Cityscapes layout (train frames train, val frames test)')
    parser.add_argument(
        '--real',
        nargs=2,
        metavar=('LABELLED_CONFIG', 'LABEL_FREE_CONFIG'),
        help='real frames: the two recipe configs of the recognizer '
        '(--recognizer: its weights, --data-root: the frames)')
    parser.add_argument(
        '--levels',
        nargs='+',
        choices=['normal', 'hard', 'extreme', 'full'],
        help=f'levels of --real (default: {" ".join(REAL_LEVELS)})')
    parser.add_argument(
        '--level',
        default='hard',
        choices=['normal', 'hard', 'extreme', 'full'],
        help='darkness the enhancers train on and the '
        'recovered share is reported on')
    parser.add_argument('--iters', type=int, default=300)
    parser.add_argument(
        '--seeds',
        type=int,
        nargs='+',
        help='training seeds (default: 0; with --full: 0 1; --sweep: one)')
    parser.add_argument(
        '--settings',
        nargs='+',
        choices=list(SETTINGS),
        help='enhancer rows (default: the essential ones; --full: all)')
    parser.add_argument(
        '--full',
        action='store_true',
        help='every row (GEM only, PAM only, Zero-DCE, IALM) and 2 seeds')
    parser.add_argument(
        '--sweep',
        action='store_true',
        help='training-set size and style-shift sweep instead')
    parser.add_argument(
        '--sizes',
        type=int,
        nargs='+',
        default=list(SIZES),
        help='training-set sizes of --sweep')
    parser.add_argument(
        '--quick',
        action='store_true',
        help='≤2 min: 40 iterations, one seed, one level')
    parser.add_argument(
        '--workers',
        type=int,
        help='rows trained side by side, one process each (default: one '
        'per row, up to CPUs + 1; 1: one after the other in this process)')
    parser.add_argument('--recognizer', help='day recognizer weights')
    parser.add_argument(
        '--train-recognizer',
        action='store_true',
        help='(re)train the day recognizer and exit')
    parser.add_argument(
        '--recognizer-iters',
        type=int,
        nargs=2,
        default=list(RECOGNIZER_ITERS),
        metavar=('STAGE1', 'STAGE2'),
        help='iterations of the two stages of --train-recognizer (the '
        f'shipped one: {RECOGNIZER_ITERS[0]} {RECOGNIZER_ITERS[1]})')
    parser.add_argument(
        '--img-size',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='scene size (default 128 256, the shipped recognizer\'s); '
        'another size needs --recognizer, trained by --train-recognizer '
        'with the same --img-size')
    args = parser.parse_args()
    if args.real and not (args.data_root and args.recognizer):
        parser.error('--real needs --data-root (Cityscapes layout) and '
                     '--recognizer (the recognizer\'s checkpoint)')
    if args.levels and not args.real:
        parser.error('--levels is an option of --real (use --level)')
    if args.data_root is None:
        args.data_root = 'data/synthetic_city'
    return args


def main() -> None:
    args = parse_args()
    start = time.time()
    data = None if args.img_size is None else dict(
        DATA, img_size=tuple(args.img_size))
    if args.train_recognizer:
        roots = prepare_data(args.data_root, args.level, data)
        stage1 = prepare_data(
            stage1_root(args.data_root), args.level, STAGE1_DATA, levels=())
        work_dir = osp.join(args.work_dir, 'day_recognizer')
        name = osp.basename(RECOGNIZER)
        if data is not None:
            h, w = data['img_size']
            name = name.replace('128x256', f'{h}x{w}')
        out = train_recognizer(
            work_dir, (stage1['day'], roots['day']),
            args.recognizer_iters,
            osp.join(work_dir, name),
            scene_size=(data or DATA)['img_size'])
        print(f'wrote {out}; use it with --recognizer {out} (the shipped '
              f'one, {RECOGNIZER}, is left as it is)')
        return
    if args.real:
        run_real_night_benchmark(
            args.work_dir,
            args.data_root,
            *args.real,
            recognizer=args.recognizer,
            levels=args.levels or REAL_LEVELS,
            iters=args.iters,
            seed=(args.seeds or [0])[0],
            workers=args.workers)
        outputs = ('results.md', 'results.json, results.md')
    elif args.sweep:
        if data is not None:
            raise SystemExit('--sweep runs on the default scene size; '
                             'drop --img-size')
        if args.seeds and len(args.seeds) > 1:
            raise SystemExit('--sweep trains with one seed; run one sweep '
                             'per seed, each in its own --work-dir')
        run_generalisation_sweep(
            args.work_dir,
            data_root=args.data_root,
            sizes=args.sizes,
            iters=args.iters,
            train_level=args.level,
            seed=(args.seeds or [0])[0],
            recognizer=args.recognizer)
        outputs = ('sweep.md', 'sweep.json, sweep.md, sweep.png')
    else:
        seeds = args.seeds or ([0, 1] if args.full else [0])
        settings = args.settings or (list(SETTINGS) if args.full else None)
        kwargs = dict(iters=args.iters, seeds=seeds)
        if args.quick:
            kwargs = dict(iters=40, seeds=seeds[:1], levels=(args.level, ))
        run_synthetic_night_benchmark(
            args.work_dir,
            data_root=args.data_root,
            level=args.level,
            settings=settings,
            recognizer=args.recognizer,
            data=data,
            workers=args.workers,
            **kwargs)
        outputs = ('results.md', 'results.json, results.md, figure.png')
    with open(osp.join(args.work_dir, outputs[0])) as f:
        sys.stdout.write('\n' + f.read())
    print(f'\nresults: {args.work_dir}/ {outputs[1]}'
          f' ({time.time() - start:.0f} s)')


if __name__ == '__main__':
    main()
