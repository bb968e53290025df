"""The real benchmark's protocol on the generated city.

Real frames are few and varied: a user trains on a handful of day frames
of one place and the enhancer meets other streets. This task runs
:func:`~mmllie.benchmarks.real_night.run_real_night_benchmark` — the same
recipes (the few-frames recipe, taken verbatim), rows and per-image counts
as on real frames — on generated frames laid out as a Cityscapes root by
:func:`~mmllie.datasets.cityscapes_layout.write_cityscapes_layout`: the
first ``frames`` day scenes of the city as the user's frames, the val
scenes of another generator style (``'town'``) as the frames it has never
seen, and a day recognizer robust to exposure as real networks are (the
shipped DeepLabV3+ fine-tuned with photometric distortion,
:data:`RECOGNIZER`). Its table is read against the real frames'.
"""
import os.path as osp
from typing import Optional, Sequence

from mmllie.datasets.cityscapes_layout import write_cityscapes_layout
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.datasets.synthetic_city import LABEL_DIR, generate_synthetic_city
from mmllie.utils.mim_config import get_config_path
from . import real_night
from .generalisation import SHIFT_STYLE
from .parallel import available_cpus
from .synthetic_night import DATA
from .synthetic_night import RECOGNIZER as SHIPPED

#: The few-frames recipe around the synthetic day recognizer: labelled and
#: label-free (Cityscapes-layout data).
CONFIGS = (
    'mmllie::synthetic/gpllie-darkened_deeplabv3plus-r18-tiny_1xb2-300_'
    'synthetic-cityscapes-day2night-32x64.py',
    'mmllie::synthetic/gpllie-label-free_deeplabv3plus-r18-tiny_1xb2-300_'
    'synthetic-cityscapes-day2night-32x64.py')
#: The exposure-robust day recognizer (package data), made by
#: ``configs/synthetic/deeplabv3plus_r18-tiny-ft-photometric_1xb8-2k_
#: synthetic-day-64x128.py`` from the shipped one.
RECOGNIZER = osp.join(
    osp.dirname(SHIPPED),
    'synthetic_deeplabv3plus_r18-tiny-photometric_day-128x256.pth')
#: Its config: the shipped segmenter fine-tuned with photometric distortion.
RECOGNIZER_CFG = ('mmllie::synthetic/deeplabv3plus_r18-tiny-ft-photometric_'
                  '1xb8-2k_synthetic-day-64x128.py')
#: Training frames: a user's handful (the real benchmark has 7).
FRAMES = 8


def _day_scenes(data_root: str,
                data: Optional[dict],
                style: str = 'city') -> str:
    """The generated day scenes of ``style`` under ``data_root`` (made if
    absent; the other style's val scenes only)."""
    data = dict(DATA if data is None else data, show_progress=False)
    root = osp.join(data_root, 'day')
    if style != 'city':
        data.update(num_train=0, style=style)
        root = osp.join(data_root, style, 'day')
    return generate_synthetic_city(
        root, **data, nproc=min(available_cpus(), 8))


def prepare_city_frames(data_root: str,
                        frames: int = FRAMES,
                        data: Optional[dict] = None) -> str:
    """Generate both styles' day scenes (if absent) and lay them out.

    Returns:
        str: The Cityscapes-layout root,
        ``<data_root>/cityscapes-<frames>frames``.
    """
    city = _day_scenes(data_root, data)
    town = _day_scenes(data_root, data, SHIFT_STYLE)
    return write_cityscapes_layout(
        osp.join(data_root, f'cityscapes-{frames}frames'), city, town, frames)


def train_recognizer(work_dir: str,
                     data_root: str,
                     iters: Optional[int] = None,
                     data: Optional[dict] = None) -> str:
    """Fine-tune the shipped day segmenter as :data:`RECOGNIZER_CFG` says.

    Args:
        work_dir (str): Its run directory; the weights-only copy is written
            there under :data:`RECOGNIZER`'s file name.
        data_root (str): The generated city's root (day scenes made if
            absent).
        iters (int, optional): Iterations; the config's 2,000 (the shipped
            checkpoint's, seed 0) by default.
        data (dict, optional): Generated data (default: the main job's).

    Returns:
        str: The weights written.
    """
    from mmengine.config import Config
    from mmengine.runner import Runner

    from mmllie.checkpoint.weights import save_model_weights
    from .bench_cfg import train_only
    day = _day_scenes(data_root, data)
    convert_nightcity_labels(osp.join(day, LABEL_DIR))
    cfg = Config.fromfile(get_config_path(RECOGNIZER_CFG))
    cfg.work_dir = work_dir
    cfg.load_from = SHIPPED
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = day
    iters = iters or cfg.train_cfg.max_iters
    Runner.from_cfg(train_only(cfg, iters)).train()
    return save_model_weights(
        osp.join(work_dir, f'iter_{iters}.pth'),
        osp.join(work_dir, osp.basename(RECOGNIZER)))


def run_city_frames(work_dir: str,
                    data_root: str,
                    frames: Optional[int] = None,
                    levels: Optional[Sequence[str]] = None,
                    iters: int = 300,
                    seed: int = 0,
                    workers: Optional[int] = None,
                    enhancer_options: Optional[dict] = None,
                    recognizer: Optional[str] = None,
                    data: Optional[dict] = None) -> dict:
    """Run the real benchmark on generated frames.

    Args:
        work_dir (str): Output directory (``results.json``,
            ``results.md``).
        data_root (str): The generated city's root (made if absent; the
            main job's ``data/synthetic_city`` is reused).
        frames (int, optional): Training frames; :data:`FRAMES` by default.
        levels (Sequence[str], optional): Darkness levels; the real
            benchmark's by default.
        iters (int): Training iterations of every row.
        seed (int): Training seed.
        workers (int, optional): Processes side by side.
        enhancer_options (dict, optional): Merged into both recipes'
            enhancer (one lever, as with real frames).
        recognizer (str, optional): Day recognizer; :data:`RECOGNIZER` by
            default.
        data (dict, optional): Generated data (default: the main job's).

    Returns:
        dict: What ``results.json`` holds.
    """
    root = prepare_city_frames(data_root, frames or FRAMES, data)
    return real_night.run_real_night_benchmark(
        work_dir,
        root,
        *(get_config_path(c) for c in CONFIGS),
        recognizer=recognizer or RECOGNIZER,
        levels=levels or real_night.LEVELS,
        iters=iters,
        seed=seed,
        workers=workers,
        enhancer_options=enhancer_options)
