"""NightCity labels: Cityscapes ``labelIds`` -> ``trainIds``.

NightCity (Tan et al., "Night-time Scene Parsing with a Large Real Dataset",
TIP 2021) ships its labels as Cityscapes label ids (``<stem>_labelIds.png``,
values 0..33). Like mmseg does for Cityscapes
(``tools/dataset_converters/cityscapes.py``), we convert them once to the
19 train ids (``<stem>_trainIds.png``, 0..18, 255 = ignore) written next to
the originals; ``tools/dataset_converters/nightcity.py`` is the command line.
"""
import os
import os.path as osp
from typing import List, Tuple

import numpy as np
from mmengine.utils import scandir, track_parallel_progress, track_progress
from PIL import Image

LABEL_IDS_SUFFIX = '_labelIds.png'
TRAIN_IDS_SUFFIX = '_trainIds.png'
PART_SUFFIX = '.part'
IGNORE_INDEX = 255
NUM_CLASSES = 19
#: Cityscapes labelId -> trainId for the 19 evaluated classes
#: (cityscapesscripts/helpers/labels.py); every other id is ignored.
LABEL_TO_TRAIN_ID = {
    7: 0, 8: 1, 11: 2, 12: 3, 13: 4, 17: 5, 19: 6, 20: 7, 21: 8, 22: 9,
    23: 10, 24: 11, 25: 12, 26: 13, 27: 14, 28: 15, 31: 16, 32: 17, 33: 18
}  # yapf: disable
#: Valid Cityscapes label ids: 0 (unlabeled) .. 33 (bicycle), and 255,
#: which is how the license plate's id -1 reads in an 8-bit PNG.
VALID_LABEL_IDS = frozenset(range(34)) | {IGNORE_INDEX}

_LUT = np.full(256, IGNORE_INDEX, dtype=np.uint8)
for _label_id, _train_id in LABEL_TO_TRAIN_ID.items():
    _LUT[_label_id] = _train_id


def read_label_png(path: str) -> np.ndarray:
    """Read a single-channel 8-bit label PNG as a ``uint8`` H×W array.

    Raises:
        ValueError: the file is not a readable single-channel 8-bit image.
    """
    try:
        with Image.open(path) as img:
            mode = img.mode
            array = np.array(img)
    except OSError as e:
        raise ValueError(f'cannot read label image {path}: {e}') from e
    if mode not in ('L', 'P') or array.ndim != 2:
        raise ValueError(
            f'label image {path} has PIL mode {mode!r} and shape '
            f'{array.shape}; expected a single-channel 8-bit id map (mode '
            "'L'), not a colour visualisation")
    return array.astype(np.uint8, copy=False)


def label_ids_to_train_ids(label_ids: np.ndarray,
                           name: str = '') -> np.ndarray:
    """Map a Cityscapes labelId map to trainIds (unlisted ids -> 255).

    Raises:
        ValueError: naming ``name`` and the ids that are not Cityscapes
            label ids (i.e. not in 0..33 or 255).
    """
    bad = sorted(set(np.unique(label_ids).tolist()) - VALID_LABEL_IDS)
    if bad:
        raise ValueError(
            f'{name or "label map"} contains ids {bad}, which are not '
            'Cityscapes label ids (0..33, or 255); is it really a '
            f'{LABEL_IDS_SUFFIX} map?')
    return _LUT[label_ids]


def convert_label_file(src: str, dst: str, overwrite: bool = False) -> str:
    """Convert one ``*_labelIds.png`` to ``*_trainIds.png``.

    Returns:
        str: ``'converted'``, or ``'skipped'`` when ``dst`` already holds
        exactly this conversion.

    Raises:
        ValueError: ``src`` is unreadable or holds non-Cityscapes ids.
        FileExistsError: ``dst`` exists with different content and
            ``overwrite`` is False.
    """
    train_ids = label_ids_to_train_ids(read_label_png(src), src)
    if osp.exists(dst):
        try:
            same = np.array_equal(read_label_png(dst), train_ids)
        except ValueError:  # unreadable: treat as different
            same = False
        if same:
            return 'skipped'
        if not overwrite:
            raise FileExistsError(
                f'{dst} exists and differs from the conversion of {src}; '
                'pass --overwrite (overwrite=True) to replace it')
    # write then rename: a conversion killed mid-write leaves only a
    # ``.part`` file (finished on the next run), never a truncated ``dst``
    part = dst + PART_SUFFIX
    Image.fromarray(train_ids).save(part, format='PNG')  # uint8 H×W: 'L'
    os.replace(part, dst)
    return 'converted'


def _convert_task(task: Tuple[str, str, bool]) -> Tuple[str, str]:
    """Pool-friendly wrapper: returns ``(status, error message)``."""
    try:
        return convert_label_file(*task), ''
    except (ValueError, FileExistsError) as e:
        return type(e).__name__, str(e)


def convert_nightcity_labels(gt_dir: str,
                             nproc: int = 1,
                             overwrite: bool = False) -> dict:
    """Convert every ``*_labelIds.png`` under ``gt_dir`` (recursively).

    All splits found are converted: ``train/``, ``val/`` and the NightCity+
    re-annotated ``val_plus/`` alike. Re-running is cheap and safe: files
    already converted identically are skipped, and a different existing
    ``*_trainIds.png`` is never replaced unless ``overwrite`` is True.

    Args:
        gt_dir (str): label root, e.g.
            ``data/NightCity/NightCity-label/label``.
        nproc (int): worker processes. Defaults to 1.
        overwrite (bool): replace differing outputs. Defaults to False.

    Returns:
        dict: counts ``{'converted': n, 'skipped': m, 'incomplete': k}``;
        ``incomplete`` counts conversions an earlier run left unfinished
        (killed mid-write: a ``*_trainIds.png.part`` file), redone here.

    Raises:
        FileNotFoundError: ``gt_dir`` is missing or has no labelIds files.
        ValueError / FileExistsError: after trying every file, if any failed;
            the message names the failed files (the first few) and the count.
    """
    if not osp.isdir(gt_dir):
        raise FileNotFoundError(
            f'NightCity label directory {gt_dir} does not exist; expected '
            f'<data_root>/NightCity-label/label/{{train,val}}/'
            f'<stem>{LABEL_IDS_SUFFIX}')
    srcs = sorted(scandir(gt_dir, LABEL_IDS_SUFFIX, recursive=True))
    if not srcs:
        raise FileNotFoundError(
            f'no *{LABEL_IDS_SUFFIX} files under {gt_dir}; expected '
            f'{{train,val}}/<stem>{LABEL_IDS_SUFFIX}')
    parts = sorted(
        scandir(gt_dir, TRAIN_IDS_SUFFIX + PART_SUFFIX, recursive=True))
    for rel in parts:  # ours: written only by convert_label_file
        os.remove(osp.join(gt_dir, rel))
    tasks: List[Tuple[str, str, bool]] = []
    for rel in srcs:
        src = osp.join(gt_dir, rel)
        dst = src[:-len(LABEL_IDS_SUFFIX)] + TRAIN_IDS_SUFFIX
        tasks.append((src, dst, overwrite))
    if nproc > 1:
        results = track_parallel_progress(_convert_task, tasks, nproc)
    else:
        results = track_progress(_convert_task, tasks)
    errors = [(kind, msg) for kind, msg in results if msg]
    if errors:
        shown = '\n  '.join(msg for _, msg in errors[:5])
        more = f'\n  ... and {len(errors) - 5} more' if len(errors) > 5 else ''
        exc = ValueError if errors[0][0] == 'ValueError' else FileExistsError
        raise exc(f'{len(errors)} of {len(tasks)} NightCity label files '
                  f'failed to convert:\n  {shown}{more}')
    counts = {
        k: sum(s == k for s, _ in results)
        for k in ('converted', 'skipped')
    }
    counts['incomplete'] = len(parts)
    return counts


__all__ = [
    'LABEL_TO_TRAIN_ID', 'VALID_LABEL_IDS', 'convert_label_file',
    'convert_nightcity_labels', 'label_ids_to_train_ids', 'read_label_png'
]
