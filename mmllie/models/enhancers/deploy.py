"""Inference-only fast path for enhancers: BN folding and channels_last.

Nothing here changes what an enhancer computes beyond float rounding:
an eval-mode BatchNorm is an affine map per channel, so it folds exactly
into the convolution before it, and channels_last only changes the memory
layout the convolutions run in. Used by ``tools/analysis_tools/
benchmark.py`` and ``tools/deployment/export_onnx.py``.
"""
import copy

import torch
import torch.nn as nn
from torch.nn.utils.fusion import fuse_conv_bn_eval


def fuse_conv_bn(model: nn.Module) -> nn.Module:
    """Fold every BatchNorm that directly follows a conv into that conv.

    Inside each ``nn.Sequential`` (the only container whose registration
    order is its execution order), a ``BatchNorm2d`` right after a
    ``Conv2d`` or ``ConvTranspose2d`` is folded into it with
    :func:`torch.nn.utils.fusion.fuse_conv_bn_eval` and replaced by
    ``nn.Identity``, so state-dict keys of the convs are kept. Modifies
    ``model`` in place; in eval mode the outputs are unchanged up to float
    rounding. (:func:`mmcv.cnn.fuse_conv_bn` is not used: it pairs a
    BatchNorm with the last conv registered before it in any module, also
    across an activation, so ``Conv → ReLU → BN`` comes out wrong.)

    Args:
        model (nn.Module): A model in eval mode.

    Returns:
        nn.Module: ``model``, fused.

    Raises:
        ValueError: If a BatchNorm layer is in training mode, whose
            output depends on the batch and cannot be folded.
    """
    for name, module in model.named_modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm) and \
                module.training:
            raise ValueError(
                f'fuse_conv_bn: BatchNorm "{name}" is in training mode; '
                'call model.eval() first (only eval-mode BatchNorm, which '
                'uses its running statistics, can be folded).')
    for seq in [m for m in model.modules() if isinstance(m, nn.Sequential)]:
        names = list(seq._modules)
        for prev, name in zip(names[:-1], names[1:]):
            conv, bn = seq._modules[prev], seq._modules[name]
            if isinstance(bn, nn.BatchNorm2d) and \
                    bn.running_mean is not None and isinstance(
                        conv, (nn.Conv2d, nn.ConvTranspose2d)):
                seq._modules[prev] = fuse_conv_bn_eval(
                    conv, bn, isinstance(conv, nn.ConvTranspose2d))
                seq._modules[name] = nn.Identity()
    return model


def deploy_enhancer(model: nn.Module,
                    fuse_bn: bool = True,
                    channels_last: bool = True) -> nn.Module:
    """Return an inference copy of an enhancer: eval, frozen, fused.

    Works for any enhancer (a model without BatchNorm is only frozen and
    converted to channels_last). The original model is left untouched.
    Inputs may be in either memory format: the convolutions run in the
    weights' channels_last layout, and the result has the same values.

    Args:
        model (nn.Module): The enhancer, e.g. ``mmllie.GPLLIE``.
        fuse_bn (bool): Fold BatchNorm into convs. Defaults to True.
        channels_last (bool): Store 4-D weights channels_last (NHWC),
            the layout oneDNN convolutions run fastest in on CPU.
            Defaults to True.

    Returns:
        nn.Module: The deployable copy, in eval mode, without gradients.

    Example:
        >>> from mmllie.models.enhancers import GPLLIE
        >>> fast = deploy_enhancer(GPLLIE().eval())
        >>> fast(torch.rand(1, 3, 37, 53)).shape
        torch.Size([1, 3, 37, 53])
    """
    fast = copy.deepcopy(model).eval().requires_grad_(False)
    if fuse_bn:
        fuse_conv_bn(fast)
    if channels_last:
        fast = fast.to(memory_format=torch.channels_last)
    return fast
