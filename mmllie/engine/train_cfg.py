"""Config-level safety for ``tools/train.py`` (the library does the rest)."""
from typing import Any, List

from mmengine.config import Config

FREEZE_HOOK = 'mmllie.FreezeRecognizerHook'
SIGNAL_HOOK = 'mmllie.SignalCheckpointHook'


def _wrappers(node: Any) -> List[dict]:
    """Every ``GlobalPixelwiseEnhancer`` dict under ``node``."""
    found = []
    if isinstance(node, dict):
        if str(node.get('type', '')).split('.')[-1] == \
                'GlobalPixelwiseEnhancer':
            found.append(node)
        for value in node.values():
            found += _wrappers(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            found += _wrappers(value)
    return found


def add_freeze_hook(cfg: Config) -> bool:
    """Add ``mmllie.FreezeRecognizerHook`` where a config dropped it.

    A child config that sets ``custom_hooks`` replaces the inherited list
    and so loses the hook. It is added when the model has an mmllie
    enhancer to train; with joint training (``train_recognizer=True``) the
    hook freezes nothing and says how many recognizer parameters train.

    Returns:
        bool: True if the hook was added.
    """
    wrappers = [
        w for w in _wrappers(cfg.get('model'))
        # no `enhancer` key: the wrapper's default, GEM + PAM
        if w.get('enhancer', 'GPLLIE')
    ]
    return bool(wrappers) and _add_hook(cfg, FREEZE_HOOK)


def _add_hook(cfg: Config, hook_type: str) -> bool:
    """Append ``dict(type=hook_type)`` to ``custom_hooks`` if absent."""
    hooks = list(cfg.get('custom_hooks') or [])
    names = {str(h.get('type', '')).split('.')[-1] for h in hooks}
    if hook_type.split('.')[-1] in names:
        return False
    cfg.custom_hooks = hooks + [dict(type=hook_type)]
    return True


def allow_partial_load(cfg: Config) -> None:
    """Let ``mmllie.FreezeRecognizerHook`` train although the recognizer's
    weights are not all loaded (``tools/train.py --partial-load``)."""
    for hook in cfg.get('custom_hooks') or []:
        if str(hook.get('type', '')).split('.')[-1] == 'FreezeRecognizerHook':
            hook['partial_load'] = True


def add_signal_hook(cfg: Config) -> bool:
    """Add ``mmllie.SignalCheckpointHook`` where a config has none, so a
    scheduler's SIGTERM ends training with a checkpoint.

    Returns:
        bool: True if the hook was added.
    """
    return _add_hook(cfg, SIGNAL_HOOK)


__all__ = ['add_freeze_hook', 'add_signal_hook', 'allow_partial_load']
