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
``--task city-frames`` runs ``--real``'s protocol and table on generated
frames: 8 day scenes (``--frames``) to train on, scenes of another style to
test on, an exposure-robust day recognizer (shipped), so that the
generated city is read against the real frames row by row.
``--task classification`` (a crop classifier, mmpretrain) and ``--task
detection`` (RTMDet-nano, mmdet) run GEM + PAM in front of other hosts'
day recognizers on the same kind of city. Every task and its options:
:data:`mmllie.benchmarks.tasks.TASKS`. No downloads.

Examples:
    python tools/synthetic_night_benchmark.py --work-dir work_dirs/night
    python tools/synthetic_night_benchmark.py --full --work-dir work_dirs/f
    python tools/synthetic_night_benchmark.py --sweep --work-dir work_dirs/s
    python tools/synthetic_night_benchmark.py --quick --work-dir /tmp/q
    python tools/synthetic_night_benchmark.py --task classification
    python tools/synthetic_night_benchmark.py --task detection --quick
    # real frames and a real recognizer: the labelled and label-free
    # recipe configs (projects/espnetv2_cityscapes/configs/gpllie-*.py)
    python tools/synthetic_night_benchmark.py --work-dir work_dirs/real \
        --real LABELLED_CONFIG LABEL_FREE_CONFIG \
        --recognizer espnetv2_s2.0_city_mmseg.pth --data-root data/cityscapes
    # the same with one lever: PAM's decoder upsampling bilinear
    python tools/synthetic_night_benchmark.py --work-dir work_dirs/real_bl \
        --real LABELLED_CONFIG LABEL_FREE_CONFIG --enhancer-options \
        pam.upsample=bilinear --recognizer espnetv2_s2.0_city_mmseg.pth \
        --data-root data/cityscapes
    # the same protocol on generated frames (no data needed)
    python tools/synthetic_night_benchmark.py --task city-frames
    # retrain a task's shipped day recognizer (deterministic from its
    # seed) into the work dir; the shipped file is never overwritten
    python tools/synthetic_night_benchmark.py --train-recognizer
    python tools/synthetic_night_benchmark.py --task detection \
        --train-recognizer
    python tools/synthetic_night_benchmark.py --task city-frames \
        --train-recognizer
    # other scenes: a day recognizer for them, then the benchmark
    python tools/synthetic_night_benchmark.py --img-size 256 512 \
        --train-recognizer --work-dir work_dirs/n256 --data-root data/c256
    python tools/synthetic_night_benchmark.py --img-size 256 512 \
        --work-dir work_dirs/n256 --data-root data/c256 --recognizer \
        work_dirs/n256/day_recognizer/synthetic_deeplabv3plus_r18-tiny_day-256x512.pth
"""
import argparse
from typing import Optional, Sequence, Tuple

from mmengine.config import DictAction

import mmllie  # noqa: F401  (CPU-stack import fixes first)
from mmllie.benchmarks.generalisation import SIZES
from mmllie.benchmarks.real_night import LEVELS as REAL_LEVELS
from mmllie.benchmarks.synthetic_night import RECOGNIZER_ITERS, SETTINGS
from mmllie.benchmarks.tasks import TASKS, run_benchmark, train_day_recognizer

#: Task options of the command line (``dest`` names).
OPTIONS = ('level', 'levels', 'iters', 'seeds', 'settings', 'full', 'sizes',
           'quick', 'workers', 'recognizer', 'recognizer_iters', 'img_size',
           'enhancer_options', 'frames')
LEVEL_CHOICES = ['normal', 'hard', 'extreme', 'full']


def _flag(dest: str) -> str:
    return '--' + dest.replace('_', '-')


def parse_args(
        argv: Optional[Sequence[str]] = None
) -> Tuple[argparse.Namespace, dict]:
    """The command line and the options of its task."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--task',
        choices=list(TASKS),
        help='default: segmentation; ' + '; '.join(f'{t.name}: {t.summary}'
                                                   for t in TASKS.values()))
    parser.add_argument(
        '--work-dir',
        help='default: the task\'s (segmentation: work_dirs/synthetic_night)')
    parser.add_argument(
        '--data-root',
        help='default: the task\'s generated data (segmentation: '
        'data/synthetic_city); with --real: a Cityscapes layout (train '
        'frames train, val frames test)')
    parser.add_argument(
        '--real',
        nargs=2,
        metavar=('LABELLED_CONFIG', 'LABEL_FREE_CONFIG'),
        help='--task real: real frames, the two recipe configs of the '
        'recognizer (--recognizer: its weights, --data-root: the frames)')
    parser.add_argument(
        '--levels',
        nargs='+',
        choices=LEVEL_CHOICES,
        help='levels of --real and --task city-frames (default: '
        f'{" ".join(REAL_LEVELS)})')
    parser.add_argument(
        '--level',
        default='hard',
        choices=LEVEL_CHOICES,
        help='darkness the enhancers train on and the '
        'recovered share is reported on')
    parser.add_argument(
        '--enhancer-options',
        nargs='+',
        action=DictAction,
        help='--task real and city-frames: merged into both recipes\' '
        'enhancer config, in '
        'xxx=yyy format like --cfg-options (e.g. use_pam=False '
        'smoothing.prior_index=1): one lever on the same loop')
    parser.add_argument(
        '--frames',
        type=int,
        help='--task city-frames: generated day frames to train on '
        '(default: 8)')
    parser.add_argument('--iters', type=int, default=300)
    parser.add_argument(
        '--seeds',
        '--seed',
        type=int,
        nargs='+',
        help='training seeds (default: 0; segmentation with --full: 0 1; '
        'the other tasks: one seed)')
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
        help='--task sweep: training-set size and style-shift sweep')
    parser.add_argument(
        '--sizes',
        type=int,
        nargs='+',
        help='training-set sizes of --sweep (default: '
        f'{" ".join(map(str, SIZES))})')
    parser.add_argument(
        '--quick',
        action='store_true',
        help='≤2 min: 40 iterations, one seed, one level (detection: 20 '
        'iterations on 16 train / 8 val scenes)')
    parser.add_argument(
        '--workers',
        type=int,
        help='rows trained side by side, one process each (default: one '
        'per row, up to CPUs + 1; 1: one after the other in this process)')
    parser.add_argument(
        '--recognizer',
        '--classifier',
        '--detector',
        help='day recognizer weights (default: the task\'s shipped one)')
    parser.add_argument(
        '--train-recognizer',
        action='store_true',
        help='(re)train the task\'s day recognizer and exit')
    parser.add_argument(
        '--recognizer-iters',
        type=int,
        nargs='+',
        metavar='N',
        help='iterations of --train-recognizer: segmentation STAGE1 STAGE2 '
        f'(the shipped one: {RECOGNIZER_ITERS[0]} {RECOGNIZER_ITERS[1]}), '
        'detection and city-frames one value (default: their configs\', '
        '2000)')
    parser.add_argument(
        '--img-size',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='scene size (default 128 256, the shipped recognizer\'s); '
        'another size needs --recognizer, trained by --train-recognizer '
        'with the same --img-size')
    args = parser.parse_args(argv)
    modes = [m for m, on in (('real', args.real), ('sweep', args.sweep)) if on]
    if len(modes) > 1 or modes and args.task not in (None, *modes):
        parser.error('--task, --real and --sweep each select a task: give '
                     'one of them')
    args.task = (modes or [args.task or 'segmentation'])[0]
    task = TASKS[args.task]
    if args.task == 'real' and not args.real:
        parser.error('--task real needs --real LABELLED_CONFIG '
                     'LABEL_FREE_CONFIG')
    if args.task == 'real' and not (args.data_root and args.recognizer):
        parser.error('--real needs --data-root (Cityscapes layout) and '
                     '--recognizer (the recognizer\'s checkpoint)')
    if args.train_recognizer and task.train is None:
        parser.error(f'--task {task.name} has no day recognizer of its own '
                     'to train')
    accepted = task.train_options if args.train_recognizer else task.options
    options = dict(configs=args.real) if 'configs' in accepted else {}
    for dest in OPTIONS:
        value = getattr(args, dest)
        if dest in accepted and value is not None:
            options[dest] = value
        elif dest not in accepted and value != parser.get_default(dest):
            what = ' --train-recognizer' if args.train_recognizer else ''
            parser.error(f'{_flag(dest)} is not an option of --task '
                         f'{task.name}{what} (its options: ' +
                         ', '.join(_flag(o)
                                   for o in accepted if o in OPTIONS) + ')')
    if 'level' in options and args.level not in task.levels:
        parser.error(f'--level {args.level}: --task {task.name} takes one '
                     f'of {list(task.levels)}')
    return args, options


def main(argv: Optional[Sequence[str]] = None) -> None:
    args, options = parse_args(argv)
    if args.train_recognizer:
        out = train_day_recognizer(args.task, args.work_dir, args.data_root,
                                   **options)
        print(f'wrote {out}; use it with --task {args.task} --recognizer '
              f'{out} (the shipped one, {TASKS[args.task].weights}, is left '
              'as it is)')
        return
    run_benchmark(args.task, args.work_dir, args.data_root, **options)


if __name__ == '__main__':
    main()
