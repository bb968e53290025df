"""The enhancer config stored in a checkpoint: read as data, built only
from a small explicit set of enhancer classes (nothing read from a file is
ever executed or imported)."""
from typing import Any, FrozenSet, Optional

from mmllie.checkpoint.literal_cfg import (UnsafeConfigError,
                                           enhancer_cfg_from_text, is_plain)

#: The only ``type``\ s a checkpoint may name. Their constructors take plain
#: numbers, strings and (for ``SmoothedGainGPLLIE``) another enhancer of this
#: set; none imports, resolves a name or reads a file. Registered models such
#: as ``TorchModuleBackbone`` (imports any dotted name) or
#: ``PretrainedEnhancer`` (reads another file) are refused; a checkpoint
#: stores the latter as ``EmbeddedEnhancer`` (:func:`embed_pretrained`).
CHECKPOINT_ENHANCER_TYPES: FrozenSet[str] = frozenset({
    'EmbeddedEnhancer',
    'GPLLIE',
    'LightGPLLIE',
    'GlobalEnhancementModule',
    'PixelwiseAdjustmentModule',
    'NoiseAdaptiveSmoothing',
    'ReducedResolutionPAM',
    'SmoothedGainGPLLIE',
    'ZeroDCE',
    'IALM',
    'FixedGainGamma',
    'ResidualDenoiser',
})


def embed_pretrained(cfg: Any) -> Any:
    """``cfg`` with each ``PretrainedEnhancer`` as an ``EmbeddedEnhancer``.

    What a checkpoint stores: the same module tree and weights, without
    the file they were first read from (the checkpoint holds them).

    Args:
        cfg (Any): An enhancer config (dicts, lists, tuples, literals).

    Returns:
        Any: A converted copy; ``cfg`` itself is not changed.
    """
    if isinstance(cfg, dict):
        kind = cfg.get('type')
        if isinstance(kind, str) and kind.split('.')[-1] == \
                'PretrainedEnhancer':
            return dict(
                type='EmbeddedEnhancer',
                enhancer=embed_pretrained(cfg.get('enhancer')))
        return {k: embed_pretrained(v) for k, v in cfg.items()}
    if isinstance(cfg, (list, tuple)):
        return type(cfg)(embed_pretrained(v) for v in cfg)
    return cfg


def enhancer_cfg_from_meta(meta: dict, where: str) -> Optional[dict]:
    """The enhancer config of a training checkpoint, never executed.

    Plain data first (``meta['enhancer_cfg']``, written by
    ``FreezeRecognizerHook``), else a literal-only parse of the config text
    MMEngine stores in ``meta['cfg']`` (checkpoints of other trainers).
    Every ``type`` in the result is checked by :func:`check_enhancer_types`
    before it is returned.

    Args:
        meta (dict): ``checkpoint['meta']``.
        where (str): Names the checkpoint in error messages.

    Returns:
        dict | None: The enhancer config, or None if none is stored.

    Raises:
        UnsafeConfigError: the stored enhancer config is not plain data or
            names a type outside :data:`CHECKPOINT_ENHANCER_TYPES`.
    """
    if not isinstance(meta, dict):
        return None
    cfg = meta.get('enhancer_cfg')
    if cfg is not None:
        if not isinstance(cfg, dict) or not is_plain(cfg):
            raise UnsafeConfigError(
                f"{where}: meta['enhancer_cfg'] is not a plain config dict: "
                f'{cfg!r:.80}')
        check_enhancer_types(cfg, f"{where} meta['enhancer_cfg']")
        return cfg
    text = meta.get('cfg')
    if not isinstance(text, str) or not text:
        return None
    cfg = enhancer_cfg_from_text(text, f"{where} meta['cfg']")
    check_enhancer_types(cfg, f"{where} meta['cfg']")
    return cfg


def check_enhancer_types(cfg: Any, where: str) -> None:
    """Refuse a stored config naming any type but an enhancer class.

    MMEngine's registry falls back to importing any dotted name, and some
    registered models import or read what their arguments name; a config
    read from a file is only built when every ``type`` in it, at any depth
    (sub-dicts, lists, tuples), is one of
    :data:`CHECKPOINT_ENHANCER_TYPES` (bare or ``mmllie.``-scoped).

    Args:
        cfg (Any): The stored config (None passes).
        where (str): Names the file and key in error messages.

    Raises:
        UnsafeConfigError: naming the refused type; nothing is built.
    """
    if isinstance(cfg, dict):
        if 'type' in cfg:
            kind = cfg['type']
            name = kind[len('mmllie.'):] if isinstance(
                kind, str) and kind.startswith('mmllie.') else kind
            if not isinstance(name,
                              str) or name not in CHECKPOINT_ENHANCER_TYPES:
                raise UnsafeConfigError(
                    f'{where}: type {kind!r} is not an enhancer a checkpoint '
                    f'may name (one of {sorted(CHECKPOINT_ENHANCER_TYPES)}); '
                    'nothing was built')
        for value in cfg.values():
            check_enhancer_types(value, where)
    elif isinstance(cfg, (list, tuple)):
        for value in cfg:
            check_enhancer_types(value, where)


__all__ = [
    'CHECKPOINT_ENHANCER_TYPES', 'check_enhancer_types', 'embed_pretrained',
    'enhancer_cfg_from_meta'
]
