"""The wrapped host preprocessor must belong to the recognizer's library."""
import torch.nn as nn
from mmengine.model import is_model_wrapper


def check_host_pairing(model: nn.Module) -> None:
    """Refuse a ``GlobalPixelwiseEnhancer`` whose ``host`` comes from another
    OpenMMLab library than the recognizer (e.g. ``mmseg.SegDataPreProcessor``
    in front of an mmpretrain classifier), which fails deep inside the host
    or trains on wrongly prepared batches.

    Models or preprocessors outside the registered hosts (a user's own
    classes) are not checked.

    Raises:
        TypeError: naming the host preprocessor, the recognizer and the
            library of each.
    """
    from mmllie.hosts import host_of
    if is_model_wrapper(model):
        model = model.module
    recognizer = getattr(model, 'recognizer', model)  # LabelFreeDistiller
    host = getattr(getattr(model, 'data_preprocessor', None), 'host', None)
    if host is None:
        return
    host_lib, model_lib = host_of(host), host_of(recognizer)
    if host_lib is None or model_lib is None or \
            host_lib.scope == model_lib.scope:
        return
    raise TypeError(
        'GlobalPixelwiseEnhancer: the host data preprocessor '
        f'{type(host).__name__} is from {host_lib.scope}, but the '
        f'recognizer {type(recognizer).__name__} is a {model_lib.scope} '
        f'model. Set model.data_preprocessor.host to the {model_lib.scope} '
        "recognizer's own data preprocessor config (the one its config had "
        'as model.data_preprocessor).')


__all__ = ['check_host_pairing']
