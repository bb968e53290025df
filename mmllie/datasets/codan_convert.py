"""Unpack the CODaN release archives into the layout CODaNDataset reads.

The release (https://github.com/Attila94/CODaN, ``data/``) ships
``codan_{val,test_day,test_night}.tar.bz2`` and the train archive in three
pieces, ``codan_train.tar.bz2.part0`` .. ``.part2`` (a byte-wise split: the
authors' loader concatenates them). Each archive holds ``<split>/<Class>/``.
The pieces are read as one stream (nothing is written besides the images;
an already joined ``codan_train.tar.bz2`` is used when present). Every split
is unpacked into a temporary ``.codan_tmp_<split>_*`` directory and renamed
into place only when complete, so a killed conversion never leaves a partial
``<split>/``; the leftover temporary directory names what happened and is
removed by the next run. ``tools/dataset_converters/codan.py`` is the
command line.
"""
import glob
import io
import os
import os.path as osp
import shutil
import tarfile
import tempfile
from typing import Dict, List, Optional, Sequence

from .codan_layout import CODAN_SPLITS, TMP_PREFIX

TRAIN_PARTS = 3
# Python's own checks against unsafe entries where it has them (3.11.4+);
# _member_path rejects absolute and '..' paths on any version
_SAFE = dict(filter='data') if hasattr(tarfile, 'data_filter') else {}


class _ConcatReader(io.RawIOBase):
    """A read-only stream over several files in turn (``cat a b c``)."""

    def __init__(self, paths: Sequence[str]) -> None:
        self._paths = list(paths)
        self._file = None

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        while True:
            if self._file is None:
                if not self._paths:
                    return 0
                self._file = open(self._paths.pop(0), 'rb')
            n = self._file.readinto(buf)
            if n:
                return n
            self._file.close()
            self._file = None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def archive_sources(data_dir: str,
                    split: str,
                    num_parts: int = TRAIN_PARTS) -> List[str]:
    """The file(s) holding ``split``'s archive, in order.

    Raises:
        FileNotFoundError: the archive, or a piece of the train archive, is
            missing (the message lists what is there).
        ValueError: more train pieces than ``num_parts``.
    """
    archive = osp.join(data_dir, f'codan_{split}.tar.bz2')
    if osp.isfile(archive) or split != 'train':
        if not osp.isfile(archive):
            raise FileNotFoundError(
                f'CODaN {split}: archive {archive} does not exist (the '
                f'release has codan_{split}.tar.bz2 in its data/ folder)')
        return [archive]
    parts = [f'{archive}.part{i}' for i in range(num_parts)]
    missing = [p for p in parts if not osp.isfile(p)]
    found = sorted(glob.glob(glob.escape(archive) + '.part*'))
    if missing:
        raise FileNotFoundError(
            f'CODaN train: archive piece(s) {missing} missing; the release '
            f'has {num_parts} pieces codan_train.tar.bz2.part0..'
            f'part{num_parts - 1} (found: {found or "none"}). Download the '
            'missing piece(s) into the same folder')
    extra = sorted(set(found) - set(parts))
    if extra:
        raise ValueError(f'CODaN train: unexpected piece(s) {extra}; the '
                         f'release has {num_parts} (see --num-parts)')
    return parts


def _member_path(member: tarfile.TarInfo, split: str, where: str):
    """``member``'s path, None for a system entry; error outside split/."""
    name = member.name[2:] if member.name.startswith('./') else member.name
    top = name.split('/', 1)[0]
    if name.startswith('/') or '..' in name.split('/') or member.issym() \
            or member.islnk():
        raise ValueError(f'{where}: unsafe entry {member.name!r} (absolute, '
                         "'..' or a link); not a CODaN archive")
    if top == split:
        return name
    if top.startswith('._') or top in ('__MACOSX', '.', ''):
        return None
    raise ValueError(f'{where}: entry {member.name!r} is outside {split}/; '
                     'not a CODaN archive of this split?')


def _extract(sources: List[str], split: str, tmp: str) -> int:
    """Extract the stream of ``sources`` into ``tmp``; count the files."""
    where, count = ' + '.join(sources), 0
    try:
        with _ConcatReader(sources) as raw, tarfile.open(
                fileobj=io.BufferedReader(raw, 1 << 20), mode='r|bz2') as tar:
            for member in tar:
                if _member_path(member, split, where) is not None:
                    tar.extract(member, tmp, **_SAFE)
                    count += member.isfile()
    except (tarfile.TarError, EOFError, OSError) as e:
        raise ValueError(f'{where}: corrupt or truncated archive '
                         f'({type(e).__name__}: {e}); download it '
                         'again') from e
    if not osp.isdir(osp.join(tmp, split)):
        raise ValueError(f'{where}: no {split}/ folder inside')
    return count


def unpack_split(data_dir: str,
                 split: str,
                 out_dir: str,
                 overwrite: bool = False,
                 num_parts: int = TRAIN_PARTS) -> int:
    """Unpack one split into ``out_dir/<split>``; return its file count.

    Returns -1 (nothing done) when ``out_dir/<split>`` exists and
    ``overwrite`` is False.
    """
    dst = osp.join(out_dir, split)
    if osp.isdir(dst) and not overwrite:
        return -1
    sources = archive_sources(data_dir, split, num_parts)
    os.makedirs(out_dir, exist_ok=True)
    for stale in glob.glob(osp.join(out_dir, f'{TMP_PREFIX}{split}_*')):
        shutil.rmtree(stale)  # an interrupted earlier run
    tmp = tempfile.mkdtemp(prefix=f'{TMP_PREFIX}{split}_', dir=out_dir)
    try:
        count = _extract(sources, split, tmp)
        if osp.isdir(dst):
            os.rename(dst, osp.join(tmp, 'replaced'))
        os.rename(osp.join(tmp, split), dst)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return count


def convert_codan(data_dir: str,
                  out_dir: Optional[str] = None,
                  splits: Sequence[str] = tuple(CODAN_SPLITS),
                  overwrite: bool = False,
                  num_parts: int = TRAIN_PARTS) -> Dict[str, int]:
    """Unpack ``splits``; ``{split: files unpacked, or -1 if skipped}``."""
    unknown = [s for s in splits if s not in CODAN_SPLITS]
    if unknown:
        raise ValueError(f'unknown CODaN split(s) {unknown}; expected some '
                         f'of {list(CODAN_SPLITS)}')
    if not osp.isdir(data_dir):
        raise FileNotFoundError(f'CODaN data folder {data_dir} does not '
                                'exist (the release\'s data/ folder)')
    out_dir = out_dir or data_dir
    for split in splits:  # every archive is there before anything is done
        if overwrite or not osp.isdir(osp.join(out_dir, split)):
            archive_sources(data_dir, split, num_parts)
    return {
        s: unpack_split(data_dir, s, out_dir, overwrite, num_parts)
        for s in splits
    }
