"""Any ``nn.Module`` returning logits, as an OpenMMLab backbone."""
import importlib
import importlib.util
import os.path as osp
from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmllie.models.enhancers.pretrained import OWN_WEIGHTS_ATTR
from mmllie.registry import MODELS
from mmllie.utils.safe_load import safe_torch_load


def build_network(network: str, kwargs: Optional[dict] = None) -> nn.Module:
    """Build ``network``: ``'package.module:Name'`` (importable) or
    ``'path/to/file.py:Name'`` (loaded from the file, no ``sys.path`` edit).

    ``Name`` is an ``nn.Module`` class or a function returning one, called
    with ``kwargs``.
    """
    if not isinstance(network, str) or network.count(':') != 1:
        raise ValueError('network must be "package.module:Name" or '
                         f'"path/to/file.py:Name", got {network!r}')
    where, name = network.split(':')
    if where.endswith('.py'):
        if not osp.isfile(where):
            raise FileNotFoundError(f'network file {where} does not exist')
        module_name = 'mmllie_user_' + osp.splitext(osp.basename(where))[0]
        spec = importlib.util.spec_from_file_location(module_name, where)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(where)
    if not hasattr(module, name):
        raise AttributeError(f'{where} has no {name!r}')
    net = getattr(module, name)(**(kwargs or {}))
    if not isinstance(net, nn.Module):
        raise TypeError(f'{network} returned {type(net).__name__}, not an '
                        'nn.Module')
    return net


@MODELS.register_module()
class TorchModuleBackbone(BaseModule):
    """Wrap a plain PyTorch network that maps images to logits.

    Its output is returned as a one-element tuple, the form OpenMMLab
    heads take: with ``mmllie.LogitsSegHead`` in an mmseg
    ``EncoderDecoder`` (segmentation logits, any resolution: resized to
    the image like any mmseg head output) or mmpretrain's pass-through
    ``ClsHead`` in an ``ImageClassifier`` (class logits), the network
    becomes a recognizer that ``mmllie.GlobalPixelwiseEnhancer`` and
    ``mmllie.FreezeRecognizerHook`` work with.

    Args:
        network (str): ``'package.module:Name'`` or
            ``'path/to/file.py:Name'``: a class or factory function.
        kwargs (dict, optional): Arguments of ``Name``.
        checkpoint (str, optional): The network's own weights, a plain
            ``torch.save(net.state_dict())`` file (loaded strictly, with
            ``weights_only=True``; keys with a ``module.`` prefix work).
        output_key (str, optional): Key of the logits when the network
            returns a dict (torchvision's segmentation models: ``'out'``).
        init_cfg (dict, optional): Unused; the weights are ``checkpoint``.

    Shape:
        - Input: (B, 3, H, W), normalised by the host's mean/std.
        - Output: a tuple with the logits, (B, C, h, w) or (B, C).
    """

    def __init__(self,
                 network: str,
                 kwargs: Optional[dict] = None,
                 checkpoint: Optional[str] = None,
                 output_key: Optional[str] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=None)
        self.network = build_network(network, kwargs)
        self.checkpoint = checkpoint
        self.output_key = output_key
        if checkpoint:
            self.load_network_weights()
            # its weights come from its own file (load_from need not hold
            # them)
            setattr(self, OWN_WEIGHTS_ATTR, checkpoint)

    def load_network_weights(self) -> None:
        if not osp.isfile(self.checkpoint):
            raise FileNotFoundError(f'network checkpoint {self.checkpoint} '
                                    'does not exist')
        state = safe_torch_load(self.checkpoint, map_location='cpu')
        state = state.get('state_dict', state)
        state = {
            k[7:] if k.startswith('module.') else k: v
            for k, v in state.items()
        }
        self.network.load_state_dict(state, strict=True)

    def init_weights(self) -> None:
        """(Re)load ``checkpoint``; never re-initialise the network."""
        if self.checkpoint:
            self.load_network_weights()
        self._is_init = True

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        out = self.network(x)
        if self.output_key is not None:
            out = out[self.output_key]
        if not isinstance(out, torch.Tensor):
            raise TypeError(
                f'{type(self.network).__name__} returned '
                f'{type(out).__name__}; a logits tensor was expected (set '
                'output_key for a dict output)')
        return (out, )
