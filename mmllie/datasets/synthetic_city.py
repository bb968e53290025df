"""Synthetic street scenes in the NightCity layout.

The scenes come from the procedural renderer of :mod:`.synthetic_scene`
(labels are Cityscapes *labelIds*).
:func:`generate_synthetic_city` writes a day (or darkened) dataset;
:func:`darken_dataset` writes a darkened copy of any day dataset in the
NightCity layout with :class:`LowLightSynthesis`, same scenes.
"""
import functools
import json
import multiprocessing
import os
import os.path as osp
import shutil
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import cv2
import mmengine
import numpy as np

from .synthetic_city_styles import STYLES
from .synthetic_scene import CLASS_IDS, render_street_scene
from .transforms.low_light import LowLightSynthesis

__all__ = [
    'CLASS_IDS', 'IMG_DIR', 'LABEL_DIR', 'darken_dataset',
    'generate_synthetic_city', 'render_street_scene'
]

ROOT_DIRS = ('NightCity-images', 'NightCity-label')
IMG_DIR = osp.join(ROOT_DIRS[0], 'images')
LABEL_DIR = osp.join(ROOT_DIRS[1], 'label')
LABEL_SUFFIX = '_labelIds.png'
MANIFEST = 'synthetic_city.json'
GENERATOR_VERSION = 1
#: Disjoint train / val "cities" (like Cityscapes), so stems are unique.
CITIES = dict(
    train=('Aachen', 'Bremen', 'Dresden', 'Erfurt', 'Hamburg', 'Jena'),
    val=('Frankfurt', 'Lindau', 'Munster'))


# -- the dataset on disk ---------------------------------------------------
def _check_out_dir(out_dir: str, params: dict, files: Dict[str, List[str]],
                   overwrite: bool) -> bool:
    """True if ``out_dir`` already holds this complete dataset; otherwise
    clear our two directories (if allowed) and claim ``out_dir``."""
    path = osp.join(out_dir, MANIFEST)
    old = None
    if osp.isfile(path):
        with open(path, encoding='utf-8') as f:
            old = json.load(f)
    same = old is not None and old.get('params') == params
    if same and old.get('complete') and all(
            osp.isfile(osp.join(out_dir, IMG_DIR, split, stem + '.png'))
            for split, stems in files.items() for stem in stems):
        return True
    subdirs = [osp.join(out_dir, d) for d in ROOT_DIRS]
    if not (same or overwrite):
        if old is not None:
            raise FileExistsError(
                f'{out_dir!r} holds another dataset ({path}: '
                f'{old.get("params")}), not the requested {params}. Pass '
                'overwrite=True (--overwrite) or choose another directory.')
        if any(osp.isdir(d) and os.listdir(d) for d in subdirs):
            raise FileExistsError(
                f'{out_dir!r} already holds NightCity-style data without a '
                f'{MANIFEST} (not written here, e.g. the real NightCity). '
                'Pass overwrite=True (--overwrite) to replace it.')
    for d in subdirs:
        if osp.isdir(d):
            shutil.rmtree(d)
    _write_manifest(out_dir, params, files, complete=False)
    return False


def _write_manifest(out_dir: str, params: dict, files: dict,
                    complete: bool) -> None:
    os.makedirs(out_dir, exist_ok=True)
    counts = {split: len(stems) for split, stems in files.items()}
    with open(osp.join(out_dir, MANIFEST), 'w', encoding='utf-8') as f:
        json.dump(
            dict(params=params, counts=counts, complete=complete), f, indent=2)


def _write(path: str, img: np.ndarray) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    if not cv2.imwrite(path, img):
        raise OSError(f'could not write {path!r}')


def _progress(total: int, show: bool):
    return mmengine.ProgressBar(total) if show and total else None


def _check_nproc(nproc: int) -> None:
    if not isinstance(nproc, (int, np.integer)) or nproc < 1:
        raise ValueError(f'nproc must be an int >= 1, got {nproc!r}.')


def _run(job: Callable, args: Iterable, nproc: int, bar) -> None:
    """``job(a)`` for each ``a``, in ``nproc`` worker processes.

    Every file depends only on its own arguments, so the output is the same
    for any ``nproc``.
    """
    args = list(args)
    if nproc == 1 or len(args) < 2:
        results: Iterable = map(job, args)
        pool = None
    else:
        fork = 'fork' in multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context('fork' if fork else 'spawn')
        pool = ctx.Pool(min(nproc, len(args)))
        results = pool.imap_unordered(job, args, chunksize=8)
    try:
        for _ in results:
            if bar is not None:
                bar.update()
    finally:
        if pool is not None:
            pool.close()
            pool.join()


def _render_file(args: Tuple[int, str, int, str], out_dir: str, seed: int,
                 img_size: Tuple[int, int], style: str,
                 dark: Optional[LowLightSynthesis]) -> None:
    split_id, split, i, stem = args
    rng = np.random.default_rng([seed, split_id, i])
    img, label = render_street_scene(rng, img_size, style)
    if dark is not None:
        img = dark(dict(img=img, img_path=stem + '.png'))['img']
    _write(osp.join(out_dir, IMG_DIR, split, stem + '.png'), img)
    _write(osp.join(out_dir, LABEL_DIR, split, stem + LABEL_SUFFIX), label)


def _darken_file(args: Tuple[str, str], img_root: str, out_dir: str,
                 dark: LowLightSynthesis) -> None:
    split, stem = args
    path = osp.join(img_root, split, stem + '.png')
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        raise OSError(f'could not read image {path!r}')
    img = dark(dict(img=img, img_path=path))['img']
    _write(osp.join(out_dir, IMG_DIR, split, stem + '.png'), img)


def generate_synthetic_city(out_dir: str,
                            num_train: int,
                            num_val: int,
                            img_size: Tuple[int, int] = (128, 256),
                            seed: int = 0,
                            night_level: Optional[str] = None,
                            overwrite: bool = False,
                            show_progress: bool = True,
                            style: str = 'city',
                            nproc: int = 1) -> str:
    """Write a synthetic street-scene dataset in the NightCity layout.

    .. code-block:: none

        out_dir
        ├── synthetic_city.json   (parameters; marks a complete dataset)
        ├── NightCity-images/images/{train,val}/<City>_<NNNN>.png
        └── NightCity-label/label/{train,val}/<City>_<NNNN>_labelIds.png

    Image ``i`` of a split depends only on ``(seed, split, i)``. With
    ``night_level`` (a :class:`LowLightSynthesis` level) the same scenes are
    darkened (seeded by ``seed`` and the file name), byte-identical to
    :func:`darken_dataset` of the day dataset with the same seed.
    Nothing is done if ``out_dir`` already holds this dataset.

    Args:
        out_dir (str): Data root to write (``data_root`` of the dataset).
        num_train (int): Number of train images.
        num_val (int): Number of val images.
        img_size (tuple[int, int]): ``(H, W)``. Defaults to (128, 256).
        seed (int): Scene (and darkening) seed. Defaults to 0.
        night_level (str, optional): ``'normal'``, ``'hard'``,
            ``'extreme'`` or ``'full'`` to darken; None (default): day.
        overwrite (bool): Replace other data in ``out_dir``.
        show_progress (bool): Show an ``mmengine.ProgressBar``.
        style (str): Generator style (palettes, textures, layout; see
            :mod:`~mmllie.datasets.synthetic_city_styles`). Defaults to
            ``'city'``, the original generator.
        nproc (int): Worker processes; the files are the same for any
            number. Defaults to 1.

    Returns:
        str: ``out_dir``.

    Raises:
        FileExistsError: ``out_dir`` holds other data and not ``overwrite``.
        ValueError: a bad count, size, seed, level or ``nproc``.
    """
    _check_nproc(nproc)
    ints = dict(num_train=num_train, num_val=num_val, seed=seed)
    for name, value in ints.items():
        if not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f'{name} must be an int >= 0, got {value!r}.')
    if (len(img_size) != 2 or any(int(s) != s or s < 32 for s in img_size)):
        raise ValueError(f'img_size must be (H, W), ints >= 32: {img_size}.')
    dark = None if night_level is None else LowLightSynthesis(
        level=night_level, seed=seed)
    params = dict(
        generator='mmllie.synthetic_city',
        version=GENERATOR_VERSION,
        img_size=[int(s) for s in img_size],
        night_level=night_level,
        **ints)
    if style != 'city':  # the original datasets keep their manifest
        if style not in STYLES:
            raise ValueError(f'unknown synthetic city style {style!r}; '
                             f'expected one of {sorted(STYLES)}.')
        params['style'] = style
    files = {
        split:
        [f'{CITIES[split][i % len(CITIES[split])]}_{i:04d}' for i in range(n)]
        for split, n in (('train', num_train), ('val', num_val))
    }
    if _check_out_dir(out_dir, params, files, overwrite):
        return out_dir
    bar = _progress(num_train + num_val, show_progress)
    job = functools.partial(
        _render_file,
        out_dir=out_dir,
        seed=seed,
        img_size=tuple(params['img_size']),
        style=style,
        dark=dark)
    _run(job, [(split_id, split, i, stem)
               for split_id, (split, stems) in enumerate(files.items())
               for i, stem in enumerate(stems)], nproc, bar)
    _write_manifest(out_dir, params, files, complete=True)
    return out_dir


def darken_dataset(src_dir: str,
                   out_dir: str,
                   level: str,
                   seed: int = 0,
                   overwrite: bool = False,
                   show_progress: bool = True,
                   nproc: int = 1) -> str:
    """Write a darkened copy of a day dataset in the NightCity layout.

    Every ``*.png`` under ``src_dir/NightCity-images/images/<split>/`` goes
    through ``LowLightSynthesis(level=level, seed=seed)`` (a fixed darkening
    per file name); ``NightCity-label/label/<split>/*.png`` are copied.
    Idempotent like :func:`generate_synthetic_city`.

    Args:
        src_dir (str): Day data root in the NightCity layout.
        out_dir (str): Data root of the darkened copy.
        level (str): :class:`LowLightSynthesis` preset.
        seed (int): Darkening seed. Defaults to 0.
        overwrite (bool): Replace other data in ``out_dir``.
        show_progress (bool): Show an ``mmengine.ProgressBar``.
        nproc (int): Worker processes; the files are the same for any
            number. Defaults to 1.

    Returns:
        str: ``out_dir``.
    """
    _check_nproc(nproc)
    img_root = osp.join(src_dir, IMG_DIR)
    if osp.abspath(src_dir) == osp.abspath(out_dir):
        raise ValueError(f'out_dir must differ from src_dir ({src_dir!r}).')
    splits = sorted(
        d for d in (os.listdir(img_root) if osp.isdir(img_root) else [])
        if osp.isdir(osp.join(img_root, d)))
    files = {
        s:
        sorted(f[:-4] for f in os.listdir(osp.join(img_root, s))
               if f.endswith('.png'))
        for s in splits
    }
    if not any(files.values()):
        raise FileNotFoundError(f'no images in {img_root!r}/<split>/*.png; '
                                'expected the NightCity layout.')
    dark = LowLightSynthesis(level=level, seed=seed)
    src_manifest = osp.join(src_dir, MANIFEST)
    source = osp.abspath(src_dir)
    if osp.isfile(src_manifest):
        with open(src_manifest, encoding='utf-8') as f:
            source = json.load(f)['params']
    params = dict(
        generator='mmllie.darken_dataset',
        version=GENERATOR_VERSION,
        source=source,
        night_level=level,
        seed=seed)
    if _check_out_dir(out_dir, params, files, overwrite):
        return out_dir
    bar = _progress(sum(map(len, files.values())), show_progress)
    for split, stems in files.items():
        label_src = osp.join(src_dir, LABEL_DIR, split)
        label_dst = osp.join(out_dir, LABEL_DIR, split)
        os.makedirs(label_dst, exist_ok=True)
        for name in sorted(
                os.listdir(label_src)) if osp.isdir(label_src) else []:
            if name.endswith('.png'):
                shutil.copyfile(
                    osp.join(label_src, name), osp.join(label_dst, name))
    job = functools.partial(
        _darken_file, img_root=img_root, out_dir=out_dir, dark=dark)
    _run(job, [(split, stem) for split, stems in files.items()
               for stem in stems], nproc, bar)
    _write_manifest(out_dir, params, files, complete=True)
    return out_dir
