"""The embedded benchmarks as one table, run by one runner.

Every task follows one skeleton: prepare its data (generated if absent),
score the frozen day recognizer, train enhancers in front of it by its own
loss, score them, write ``results.json`` and ``results.md``. :data:`TASKS`
names each task's runner, defaults, the options it takes and how its day
recognizer is (re)trained; :func:`run_benchmark` and
:func:`train_day_recognizer` run any of them
(``tools/synthetic_night_benchmark.py --task NAME``).
"""
import inspect
import os.path as osp
import sys
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from . import (city_frames, classification, detection, generalisation,
               real_night)
from . import synthetic_night as segmentation

#: Darkness levels the generated-city tasks train on.
LEVELS = segmentation.LEVELS


@dataclass(frozen=True)
class BenchmarkTask:
    """One embedded benchmark.

    Args:
        name (str): Its ``--task`` name.
        summary (str): One line of what it measures.
        work_dir (str): Default output directory.
        data_root (str, optional): Default data root; ``None``: the user
            names one.
        run (Callable): ``run(work_dir, data_root, **options)`` runs it,
            writes :attr:`outputs` into ``work_dir`` and returns the results.
            Its keyword arguments are the options it takes
            (:attr:`options`).
        outputs (tuple[str]): Files it writes, one of them the Markdown
            table (``.md``).
        levels (tuple[str]): Values of its ``level`` option.
        train (Callable, optional): ``train(work_dir, data_root,
            **options)`` (re)trains the day recognizer into ``work_dir`` and
            returns its weights; ``None``: the user brings one.
        weights (str, optional): The shipped day recognizer
            (``train`` writes a file of the same name).
    """
    name: str
    summary: str
    work_dir: str
    data_root: Optional[str]
    run: Callable[..., dict]
    outputs: Tuple[str, ...] = ('results.json', 'results.md')
    levels: Tuple[str, ...] = LEVELS
    train: Optional[Callable[..., str]] = None
    weights: Optional[str] = None

    @property
    def options(self) -> Tuple[str, ...]:
        """Keyword options of :attr:`run`."""
        return _keywords(self.run)

    @property
    def table(self) -> str:
        """The Markdown output."""
        return next(f for f in self.outputs if f.endswith('.md'))

    @property
    def train_options(self) -> Tuple[str, ...]:
        """Keyword options of :attr:`train`."""
        return () if self.train is None else _keywords(self.train)


def _keywords(fn: Callable) -> Tuple[str, ...]:
    return tuple(inspect.signature(fn).parameters)[2:]


def _one_seed(seeds: Optional[Sequence[int]], task: str) -> int:
    if seeds and len(seeds) > 1:
        raise ValueError(f'--task {task} trains with one seed, got seeds '
                         f'{list(seeds)}: run one per seed, each in its own '
                         '--work-dir')
    return seeds[0] if seeds else 0


def _scene_data(img_size: Optional[Sequence[int]]) -> Optional[dict]:
    return None if img_size is None else dict(
        segmentation.DATA, img_size=tuple(img_size))


def run_segmentation(work_dir: str,
                     data_root: str,
                     level: str = 'hard',
                     iters: int = 300,
                     seeds: Optional[List[int]] = None,
                     settings: Optional[List[str]] = None,
                     full: bool = False,
                     quick: bool = False,
                     recognizer: Optional[str] = None,
                     img_size: Optional[Sequence[int]] = None,
                     workers: Optional[int] = None) -> dict:
    """:func:`~mmllie.benchmarks.synthetic_night.
    run_synthetic_night_benchmark`: the essential rows with seed 0;
    ``full``: every row and seeds 0 and 1; ``quick``: 40 iterations, the
    first seed, one level."""
    seeds = seeds or ([0, 1] if full else [0])
    settings = settings or (list(segmentation.SETTINGS) if full else None)
    kwargs = dict(iters=iters, seeds=seeds)
    if quick:
        kwargs = dict(iters=40, seeds=seeds[:1], levels=(level, ))
    return segmentation.run_synthetic_night_benchmark(
        work_dir,
        data_root=data_root,
        level=level,
        settings=settings,
        recognizer=recognizer,
        data=_scene_data(img_size),
        workers=workers,
        **kwargs)


def train_segmenter(work_dir: str,
                    data_root: str,
                    level: str = 'hard',
                    recognizer_iters: Optional[Sequence[int]] = None,
                    img_size: Optional[Sequence[int]] = None) -> str:
    """Both stages of the day DeepLabV3+
    (:func:`~mmllie.benchmarks.synthetic_night.train_recognizer`)."""
    data = _scene_data(img_size)
    roots = segmentation.prepare_data(data_root, level, data)
    stage1 = segmentation.prepare_data(
        segmentation.stage1_root(data_root),
        level,
        segmentation.STAGE1_DATA,
        levels=())
    h, w = (data or segmentation.DATA)['img_size']
    name = osp.basename(segmentation.RECOGNIZER).replace('128x256', f'{h}x{w}')
    return segmentation.train_recognizer(
        work_dir, (stage1['day'], roots['day']),
        recognizer_iters or segmentation.RECOGNIZER_ITERS,
        osp.join(work_dir, name),
        scene_size=(h, w))


def run_sweep(work_dir: str,
              data_root: str,
              level: str = 'hard',
              iters: int = 300,
              seeds: Optional[List[int]] = None,
              sizes: Optional[Sequence[int]] = None,
              recognizer: Optional[str] = None) -> dict:
    """:func:`~mmllie.benchmarks.generalisation.run_generalisation_sweep`
    (``sizes`` default: :data:`~mmllie.benchmarks.generalisation.SIZES`)."""
    return generalisation.run_generalisation_sweep(
        work_dir,
        data_root=data_root,
        sizes=sizes or generalisation.SIZES,
        iters=iters,
        train_level=level,
        seed=_one_seed(seeds, 'sweep'),
        recognizer=recognizer)


def run_classification(work_dir: str,
                       data_root: str,
                       level: str = 'hard',
                       iters: int = 300,
                       seeds: Optional[List[int]] = None,
                       quick: bool = False,
                       recognizer: Optional[str] = None) -> dict:
    """:func:`~mmllie.benchmarks.classification.
    run_classification_benchmark`; ``quick``: 40 iterations, one level."""
    kwargs = dict(iters=40, levels=(level, )) if quick else dict(iters=iters)
    return classification.run_classification_benchmark(
        work_dir,
        data_root=data_root,
        level=level,
        seed=_one_seed(seeds, 'classification'),
        classifier=recognizer,
        **kwargs)


def train_classifier(work_dir: str, data_root: str) -> str:
    """The day crop classifier
    (:func:`~mmllie.benchmarks.classification.train_classifier`)."""
    crops = classification.prepare_crops(data_root, [])
    return classification.train_classifier(
        work_dir, crops['day'],
        osp.join(work_dir, osp.basename(classification.CLASSIFIER)))


def run_detection(work_dir: str,
                  data_root: str,
                  level: str = 'hard',
                  iters: int = 300,
                  seeds: Optional[List[int]] = None,
                  quick: bool = False,
                  recognizer: Optional[str] = None) -> dict:
    """:func:`~mmllie.benchmarks.detection.run_detection_benchmark`;
    ``quick``: 20 iterations, one level, 16 train / 8 val scenes in
    ``<data_root>/quick``."""
    kwargs = dict(iters=iters, data_root=data_root)
    if quick:
        kwargs = dict(
            iters=20,
            levels=(level, ),
            data_root=osp.join(data_root, 'quick'),
            data=dict(detection.DATA, num_train=16, num_val=8))
    return detection.run_detection_benchmark(
        work_dir,
        level=level,
        seed=_one_seed(seeds, 'detection'),
        detector=recognizer,
        **kwargs)


def train_detector(work_dir: str,
                   data_root: str,
                   recognizer_iters: Optional[Sequence[int]] = None) -> str:
    """The day RTMDet (:func:`~mmllie.benchmarks.detection.train_detector`;
    ``recognizer_iters``: one value, default its config's)."""
    if recognizer_iters is not None and len(recognizer_iters) != 1:
        raise ValueError('the day detector trains in one stage: one '
                         f'recognizer_iters value, got {recognizer_iters}')
    roots = detection.prepare_scenes(data_root, [])
    return detection.train_detector(
        work_dir, roots['day'],
        osp.join(work_dir, osp.basename(detection.DETECTOR)),
        recognizer_iters[0] if recognizer_iters else None)


def run_real(work_dir: str,
             data_root: str,
             configs: Sequence[str],
             recognizer: str,
             levels: Optional[Sequence[str]] = None,
             iters: int = 300,
             seeds: Optional[List[int]] = None,
             workers: Optional[int] = None,
             enhancer_options: Optional[dict] = None) -> dict:
    """:func:`~mmllie.benchmarks.real_night.run_real_night_benchmark` with
    ``configs``: the labelled and the label-free recipe config;
    ``enhancer_options`` are merged into both recipes' enhancer."""
    if len(configs) != 2:
        raise ValueError('configs must be the labelled and the label-free '
                         f'recipe config, got {configs!r}')
    return real_night.run_real_night_benchmark(
        work_dir,
        data_root,
        *configs,
        recognizer=recognizer,
        levels=levels or real_night.LEVELS,
        iters=iters,
        seed=_one_seed(seeds, 'real'),
        workers=workers,
        enhancer_options=enhancer_options)


def train_city_recognizer(
        work_dir: str,
        data_root: str,
        recognizer_iters: Optional[Sequence[int]] = None) -> str:
    """The exposure-robust day segmenter
    (:func:`~mmllie.benchmarks.city_frames.train_recognizer`; one value of
    ``recognizer_iters``)."""
    if recognizer_iters and len(recognizer_iters) != 1:
        raise ValueError('--task city-frames fine-tunes one stage: give one '
                         f'--recognizer-iters value, got {recognizer_iters}')
    return city_frames.train_recognizer(
        work_dir, data_root, recognizer_iters[0] if recognizer_iters else None)


def run_city_frames(work_dir: str,
                    data_root: str,
                    frames: Optional[int] = None,
                    levels: Optional[Sequence[str]] = None,
                    iters: int = 300,
                    seeds: Optional[List[int]] = None,
                    workers: Optional[int] = None,
                    enhancer_options: Optional[dict] = None,
                    recognizer: Optional[str] = None) -> dict:
    """:func:`~mmllie.benchmarks.city_frames.run_city_frames`: the real
    frames' protocol on ``frames`` generated day frames."""
    return city_frames.run_city_frames(
        work_dir,
        data_root,
        frames=frames,
        levels=levels,
        iters=iters,
        seed=_one_seed(seeds, 'city-frames'),
        workers=workers,
        enhancer_options=enhancer_options,
        recognizer=recognizer)


#: ``--task`` name -> task.
TASKS: Dict[str, BenchmarkTask] = {
    task.name: task
    for task in (
        BenchmarkTask(
            'segmentation',
            'mIoU of the day DeepLabV3+ (mmseg) on the generated city',
            'work_dirs/synthetic_night',
            'data/synthetic_city',
            run_segmentation,
            outputs=('results.json', 'results.md', 'figure.png'),
            levels=LEVELS + ('full', ),
            train=train_segmenter,
            weights=segmentation.RECOGNIZER),
        BenchmarkTask(
            'sweep',
            'segmentation: training-set size and style-shift sweep',
            'work_dirs/synthetic_night',
            'data/synthetic_city',
            run_sweep,
            outputs=('sweep.json', 'sweep.md', 'sweep.png'),
            levels=LEVELS + ('full', ),
            train=train_segmenter,
            weights=segmentation.RECOGNIZER),
        BenchmarkTask(
            'classification',
            'top-1 of the day crop classifier (mmpretrain)',
            'work_dirs/synthetic_cls',
            'data/synthetic_city_64x128',
            run_classification,
            train=train_classifier,
            weights=classification.CLASSIFIER),
        BenchmarkTask(
            'detection',
            'mAP@0.5 of the day RTMDet-nano (mmdet)',
            'work_dirs/synthetic_det',
            'data/synthetic_city_det',
            run_detection,
            train=train_detector,
            weights=detection.DETECTOR),
        BenchmarkTask(
            'real',
            'mIoU of the user\'s recognizer on real (Cityscapes) frames',
            'work_dirs/synthetic_night',
            None,
            run_real,
            levels=()),
        BenchmarkTask(
            'city-frames',
            'the real frames\' protocol on a few generated frames',
            'work_dirs/city_frames',
            'data/synthetic_city',
            run_city_frames,
            levels=(),
            train=train_city_recognizer,
            weights=city_frames.RECOGNIZER),
    )
}


def get_task(name: str) -> BenchmarkTask:
    """The :data:`TASKS` entry ``name``."""
    if name not in TASKS:
        raise KeyError(f'unknown benchmark task {name!r}; expected one of '
                       f'{list(TASKS)}')
    return TASKS[name]


def _check_options(task: BenchmarkTask, given: Sequence[str],
                   accepted: Sequence[str], what: str) -> None:
    unknown = sorted(set(given) - set(accepted))
    if unknown:
        raise TypeError(f'{what} of task {task.name!r} takes no '
                        f'{unknown}; its options: {list(accepted)}')


def run_benchmark(task: str,
                  work_dir: Optional[str] = None,
                  data_root: Optional[str] = None,
                  **options) -> dict:
    """Run a :data:`TASKS` entry; print its table and where it wrote.

    Args:
        task (str): A key of :data:`TASKS`.
        work_dir (str, optional): Output directory (default: the task's).
        data_root (str, optional): Data root (default: the task's).
        **options: Options of the task's runner
            (:attr:`BenchmarkTask.options`).

    Returns:
        dict: The results the task wrote to its JSON output.
    """
    spec = get_task(task)
    _check_options(spec, list(options), spec.options, 'the runner')
    work_dir = work_dir or spec.work_dir
    data_root = data_root or spec.data_root
    if data_root is None:
        raise ValueError(f'task {task!r} needs a data_root')
    start = time.time()
    results = spec.run(work_dir, data_root, **options)
    with open(osp.join(work_dir, spec.table)) as f:
        sys.stdout.write('\n' + f.read())
    print(f'\nresults: {work_dir}/ {", ".join(spec.outputs)} '
          f'({time.time() - start:.0f} s)')
    return results


def train_day_recognizer(task: str,
                         work_dir: Optional[str] = None,
                         data_root: Optional[str] = None,
                         **options) -> str:
    """(Re)train a task's day recognizer into ``<work_dir>/day_recognizer``.

    The shipped weights (:attr:`BenchmarkTask.weights`) are never
    overwritten.

    Returns:
        str: The weights written (pass them as the task's ``recognizer``).
    """
    spec = get_task(task)
    if spec.train is None:
        raise ValueError(f'task {task!r} has no day recognizer of its own '
                         'to train')
    _check_options(spec, list(options), spec.train_options, 'the trainer')
    return spec.train(
        osp.join(work_dir or spec.work_dir, 'day_recognizer'), data_root
        or spec.data_root, **options)
