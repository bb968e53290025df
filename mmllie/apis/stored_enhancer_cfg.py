"""The enhancer config stored in a checkpoint: read as data, built only
from registered mmllie types (no text from a file is ever executed)."""
from typing import Any, Optional

from mmllie.registry import MODELS
from mmllie.utils.literal_cfg import (UnsafeConfigError,
                                      enhancer_cfg_from_text, is_plain)


def enhancer_cfg_from_meta(meta: dict, where: str) -> Optional[dict]:
    """The enhancer config of a training checkpoint, never executed.

    Plain data first (``meta['enhancer_cfg']``, written by
    ``FreezeRecognizerHook``), else a literal-only parse of the config text
    MMEngine stores in ``meta['cfg']`` (older checkpoints).

    Raises:
        UnsafeConfigError: the stored enhancer config is not plain data.
    """
    if not isinstance(meta, dict):
        return None
    cfg = meta.get('enhancer_cfg')
    if cfg is not None:
        if not isinstance(cfg, dict) or not is_plain(cfg):
            raise UnsafeConfigError(
                f"{where}: meta['enhancer_cfg'] is not a plain config dict: "
                f'{cfg!r:.80}')
        return cfg
    text = meta.get('cfg')
    if not isinstance(text, str) or not text:
        return None
    return enhancer_cfg_from_text(text, f"{where} meta['cfg']")


def check_registered_types(cfg: Any, where: str) -> None:
    """Refuse a stored config whose ``type``s are not mmllie models.

    MMEngine's registry falls back to importing any dotted name
    (``type='os.system'`` would be called); a config read from a file is
    only built when every ``type`` in it is a registered mmllie model.
    """
    if isinstance(cfg, dict):
        kind = cfg.get('type')
        if kind is not None:
            name = kind[len('mmllie.'):] if isinstance(
                kind, str) and kind.startswith('mmllie.') else kind
            if not isinstance(name, str) or name not in MODELS.module_dict:
                raise UnsafeConfigError(
                    f'{where}: enhancer type {kind!r} is not a registered '
                    f'mmllie model ({sorted(MODELS.module_dict)}); it is '
                    'not built')
        for value in cfg.values():
            check_registered_types(value, where)
    elif isinstance(cfg, (list, tuple)):
        for value in cfg:
            check_registered_types(value, where)


__all__ = ['check_registered_types', 'enhancer_cfg_from_meta']
