"""Resume from the newest *readable* checkpoint of a work dir, and never
start a new run over an earlier run's checkpoints without saying so."""
import logging
import os
import os.path as osp
import re
from typing import List, Optional, Tuple

from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.runner.checkpoint import _load_checkpoint

_NAME = re.compile(r'^(?:iter|epoch)_(\d+)\.pth$')


def run_checkpoints(work_dir: str) -> List[str]:
    """``iter_N.pth`` / ``epoch_N.pth`` in ``work_dir``, newest first."""
    if not osp.isdir(work_dir):
        return []
    found = [(int(m[1]), name) for name in os.listdir(work_dir)
             if (m := _NAME.match(name))]
    return [osp.join(work_dir, name) for _, name in sorted(found)[::-1]]


def unreadable_reason(path: str, resumable: bool = True) -> Optional[str]:
    """Why ``path`` is not a (resumable) checkpoint, or None if it is.

    Args:
        path (str): The file.
        resumable (bool): Also require MMEngine's ``meta`` and
            ``state_dict`` (a training checkpoint); else any dict of
            weights loads (``load_from``). Defaults to True.
    """
    if not osp.isfile(path):
        return 'no such file'
    try:
        ckpt = _load_checkpoint(path, map_location='cpu')
    except Exception as e:  # truncated zip, text, an image, ...
        first = (str(e).strip().splitlines() or [''])[0][:100]
        return ('not a PyTorch checkpoint that loads with weights_only=True'
                f' (truncated, or another kind of file): {type(e).__name__}'
                f' {first}')
    if not isinstance(ckpt, dict):
        return f'holds a {type(ckpt).__name__}, not a dict of weights'
    if resumable and not {'meta', 'state_dict'} <= set(ckpt):
        return 'not an MMEngine training checkpoint (no meta / state_dict)'
    return None


def check_checkpoint_file(path: str, what: str = 'checkpoint') -> None:
    """Refuse a file that is no loadable checkpoint, naming it.

    Args:
        path (str): The file (local; URLs are left to the loader).
        what (str): How the message names it, e.g. ``'load_from='``.

    Raises:
        ValueError: ``path`` is missing, truncated or another kind of file.
    """
    if path and '://' not in str(path):
        why = unreadable_reason(str(path), resumable=False)
        if why:
            sep = '' if what.endswith('=') else ' '
            raise ValueError(f'{what}{sep}{str(path)!r}: {why}')


def check_load_from(path: Optional[str]) -> None:
    """Name ``load_from`` and what it is not, before MMEngine loads it.

    Raises:
        ValueError: ``path`` is set but is not a checkpoint.
    """
    check_checkpoint_file(path, 'load_from=')


def find_resumable_checkpoint(
        work_dir: str) -> Tuple[Optional[str], List[Tuple[str, str]]]:
    """The newest checkpoint of ``work_dir`` that loads.

    Candidates are the file named in ``last_checkpoint`` (MMEngine's
    pointer) and every ``iter_N.pth`` / ``epoch_N.pth``, newest first, so a
    missing pointer or a checkpoint truncated by a crash during saving falls
    back to the previous one.

    Returns:
        tuple: (path or None, [(skipped path, reason), ...]).
    """
    candidates = run_checkpoints(work_dir)
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as f:
            named = f.read().strip()
        known = {osp.abspath(c) for c in candidates}
        if named and osp.isfile(named) and osp.abspath(named) not in known:
            candidates.insert(0, named)
    skipped = []
    for path in candidates:
        reason = unreadable_reason(path)
        if reason is None:
            return path, skipped
        skipped.append((path, reason))
    return None, skipped


def apply_resume(cfg: Config, resume: Optional[str]) -> None:
    """Set ``cfg.resume`` / ``cfg.load_from`` for ``tools/train.py``.

    Args:
        cfg (Config): The training config (``work_dir`` set).
        resume (str, optional): ``'auto'`` (``--resume`` alone): the newest
            readable checkpoint of the work dir, or a first run from
            ``load_from``; a path: that checkpoint; None: a new run, refused
            when the work dir holds an earlier run's checkpoints.

    Raises:
        FileExistsError: a new run would overwrite earlier checkpoints.
        ValueError: the checkpoint or ``load_from`` cannot be loaded.
    """
    if resume == 'auto':
        # the work dir's newest readable checkpoint; on a first run there is
        # none and training starts from `load_from` (the frozen recognizer)
        latest, skipped = find_resumable_checkpoint(cfg.work_dir)
        for path, why in skipped:
            print_log(
                f'--resume: skipping unreadable {path} ({why}); it is '
                'replaced when training reaches it again',
                logger='current',
                level=logging.WARNING)
        cfg.resume = latest is not None
        cfg.load_from = latest or cfg.get('load_from')
        print_log(
            f'--resume: resuming from {latest}' if latest else
            f'--resume: no checkpoint in {cfg.work_dir} yet; starting '
            f'from load_from={cfg.load_from}',
            logger='current')
    elif resume is None and run_checkpoints(cfg.work_dir):
        raise FileExistsError(
            f'{cfg.work_dir} holds checkpoints of an earlier run '
            f'({", ".join(run_checkpoints(cfg.work_dir)[:3])}), which a new '
            'run would overwrite: pass --resume to continue it, or '
            '--work-dir for a new run (or remove them)')
    elif resume is not None:
        why = unreadable_reason(resume)
        if why:
            raise ValueError(f'--resume: {resume} cannot be resumed '
                             f'from: {why}')
        cfg.resume = True
        cfg.load_from = resume
    check_load_from(cfg.get('load_from'))


__all__ = [
    'apply_resume', 'check_checkpoint_file', 'check_load_from',
    'find_resumable_checkpoint', 'run_checkpoints', 'unreadable_reason'
]
