"""The generated city as a user's Cityscapes-layout data root.

The real benchmark (``tools/synthetic_night_benchmark.py --real``) trains on
a user's few day frames (``leftImg8bit/train``) and tests on other frames
(``leftImg8bit/val``). :func:`write_cityscapes_layout` lays the generated
city out the same way — the first ``num_train`` train scenes of one
generated dataset, the val scenes of another (e.g. another generator style:
other streets than the ones trained on, as the real val frames are another
city's) — so the same command, configs and table run on generated frames.
"""
import json
import os
import os.path as osp
import shutil
from typing import Optional

from .nightcity_convert import TRAIN_IDS_SUFFIX, convert_nightcity_labels
from .synthetic_city import IMG_DIR, LABEL_DIR, MANIFEST

__all__ = ['write_cityscapes_layout']

#: Written into ``out_dir``; marks a complete export and its sources.
LAYOUT_MANIFEST = 'cityscapes_layout.json'
IMG_SUFFIX = '_leftImg8bit.png'
SEG_SUFFIX = '_gtFine_labelTrainIds.png'


def _stems(root: str, split: str, count: Optional[int]) -> list:
    """The first ``count`` image stems of ``split`` (generation order)."""
    if not osp.isfile(osp.join(root, MANIFEST)):
        raise FileNotFoundError(
            f'{root!r} is not a generated city (no {MANIFEST}); make it with '
            'tools/dataset_converters/synthetic_city.py')
    folder = osp.join(root, IMG_DIR, split)
    stems = sorted((f[:-4] for f in os.listdir(folder) if f.endswith('.png')),
                   key=lambda s:
                   (int(s.rsplit('_', 1)[1]), s)) if osp.isdir(folder) else []
    if count is not None:
        if count > len(stems):
            raise ValueError(f'{folder} has {len(stems)} images, fewer than '
                             f'the {count} asked for')
        stems = stems[:count]
    if not stems:
        raise ValueError(f'{folder} has no images')
    return stems


def _place(src: str, dst: str) -> None:
    """Hard-link ``src`` to ``dst`` (a copy across file systems)."""
    os.makedirs(osp.dirname(dst), exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def write_cityscapes_layout(out_dir: str,
                            train_dir: str,
                            val_dir: str,
                            num_train: int,
                            num_val: Optional[int] = None,
                            overwrite: bool = False) -> str:
    """Lay generated day scenes out as a Cityscapes data root.

    .. code-block:: none

        out_dir
        ├── cityscapes_layout.json
        ├── leftImg8bit/{train,val}/<city>/<City>_<NNNN>_leftImg8bit.png
        └── gtFine/{train,val}/<city>/<City>_<NNNN>_gtFine_labelTrainIds.png

    read by mmseg's ``CityscapesDataset``. Files are hard links where the
    file system allows (copies otherwise); the labels are converted to
    train ids first (:func:`convert_nightcity_labels`) where needed.
    Nothing is done if ``out_dir`` already holds this export; an
    unfinished one (interrupted) is written again.

    Args:
        out_dir (str): The data root to write.
        train_dir (str): A generated day city (NightCity layout): its first
            ``num_train`` train scenes become ``leftImg8bit/train``.
        val_dir (str): A generated day city: its val scenes (the first
            ``num_val``; all by default) become ``leftImg8bit/val``.
        num_train (int): Training frames, e.g. 8 (a user's handful).
        num_val (int, optional): Val frames; all by default.
        overwrite (bool): Replace another export found in ``out_dir``.

    Returns:
        str: ``out_dir``.

    Raises:
        FileNotFoundError: a source is not a generated city.
        FileExistsError: ``out_dir`` holds other data and not ``overwrite``.
        ValueError: a count is not a positive int or exceeds the source.
    """
    for name, value in (('num_train', num_train), ('num_val', num_val)):
        if value is not None and (not isinstance(value, int) or value < 1):
            raise ValueError(f'{name} must be an int >= 1, got {value!r}')
    params = dict(
        train_dir=osp.abspath(train_dir),
        val_dir=osp.abspath(val_dir),
        num_train=num_train,
        num_val=num_val)
    manifest = osp.join(out_dir, LAYOUT_MANIFEST)
    if osp.isfile(manifest):
        with open(manifest, encoding='utf-8') as f:
            old = json.load(f)
        if old.get('params') == params and old.get('complete'):
            return out_dir
        # an unfinished export of the same sources is redone
        if old.get('params') != params and not overwrite:
            raise FileExistsError(
                f'{out_dir!r} holds another export ({manifest}: '
                f'{old.get("params")}), not {params}; pass overwrite=True '
                '(--overwrite) or choose another directory')
    elif any(
            osp.isdir(osp.join(out_dir, d)) and not overwrite
            for d in ('leftImg8bit', 'gtFine')):
        raise FileExistsError(
            f'{out_dir!r} already holds Cityscapes-layout data not written '
            f'here (no {LAYOUT_MANIFEST}); pass overwrite=True (--overwrite) '
            'to replace it')
    for d in ('leftImg8bit', 'gtFine'):
        shutil.rmtree(osp.join(out_dir, d), ignore_errors=True)
    os.makedirs(out_dir, exist_ok=True)
    _write_manifest(manifest, params, complete=False)
    for split, root, count in (('train', train_dir, num_train),
                               ('val', val_dir, num_val)):
        stems = _stems(root, split, count)
        labels = osp.join(root, LABEL_DIR)
        if not all(
                osp.isfile(osp.join(labels, split, stem + TRAIN_IDS_SUFFIX))
                for stem in stems):
            convert_nightcity_labels(labels)
        for stem in stems:
            city = stem.rsplit('_', 1)[0].lower()
            _place(
                osp.join(root, IMG_DIR, split, stem + '.png'),
                osp.join(out_dir, 'leftImg8bit', split, city,
                         stem + IMG_SUFFIX))
            _place(
                osp.join(labels, split, stem + TRAIN_IDS_SUFFIX),
                osp.join(out_dir, 'gtFine', split, city, stem + SEG_SUFFIX))
    _write_manifest(manifest, params, complete=True)
    return out_dir


def _write_manifest(path: str, params: dict, complete: bool) -> None:
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(dict(params=params, complete=complete), f, indent=2)
