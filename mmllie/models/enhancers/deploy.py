"""Inference-only fast path for enhancers.

BN folding, channels_last, lower precision, zero-padded channel widths and
CUDA-graph replay. Nothing here changes what an enhancer computes beyond
float rounding: an eval-mode BatchNorm is an affine map per channel, so it
folds exactly into the convolution before it; channels_last only changes
the memory layout the convolutions run in; padded channels are exact
zeros; a CUDA graph replays the same kernels. Lower precision
(``dtype``) rounds every layer. Used by ``tools/analysis_tools/
benchmark.py`` and ``tools/deployment/export_onnx.py``.
"""
import copy
from typing import Optional

import torch
import torch.nn as nn
from torch.nn.utils.fusion import fuse_conv_bn_eval
from torch.utils._pytree import tree_map


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


def _round_up(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


def _pad_conv(conv: nn.Module, in_index: Optional[torch.Tensor], in_ch: int,
              out_ch: int) -> nn.Module:
    """A copy of ``conv`` with ``out_ch`` outputs (extras all zero) reading
    ``in_ch`` inputs, input channel ``i`` of ``conv`` at ``in_index[i]``."""
    transposed = isinstance(conv, nn.ConvTranspose2d)
    w = conv.weight.detach()
    if transposed:  # (in, out, kh, kw)
        w = w.transpose(0, 1)
    old_out, old_in = w.shape[:2]
    if in_index is None:
        in_index = torch.arange(old_in)
    new_w = w.new_zeros(out_ch, in_ch, *w.shape[2:])
    new_w[:old_out, in_index.to(w.device)] = w
    kwargs = dict(
        kernel_size=conv.kernel_size,
        stride=conv.stride,
        padding=conv.padding,
        dilation=conv.dilation,
        bias=True,
        device=w.device,
        dtype=w.dtype)
    if transposed:
        new = nn.ConvTranspose2d(in_ch, out_ch, **kwargs)
        new.weight.data.copy_(new_w.transpose(0, 1))
    else:
        new = nn.Conv2d(in_ch, out_ch, groups=1, **kwargs)
        new.weight.data.copy_(new_w)
    new.bias.data.zero_()
    if conv.bias is not None:
        new.bias.data[:old_out] = conv.bias.detach()
    return new.train(conv.training).requires_grad_(False)


def _only_conv(seq: nn.Module) -> str:
    names = [
        n for n, m in seq.named_children()
        if not isinstance(m, (nn.Identity, nn.ReLU))
    ]
    if len(names) != 1 or not isinstance(getattr(
            seq, names[0]), nn.Conv2d) or getattr(seq, names[0]).groups != 1:
        raise ValueError('pad_unet_channels: expected one ungrouped '
                         f'Conv2d (BatchNorm folded), got {seq}')
    return names[0]


def pad_unet_channels(pam: nn.Module, multiple: int = 8) -> nn.Module:
    """Zero-pad the widths of PAM's UNet to a multiple of ``multiple``.

    GPU tensor-core convolutions in fp16 / bf16 and channels_last want
    channel counts that are multiples of 8; PAM's first stage has 12. Every
    conv gets extra output channels whose filters and biases are zero (so
    they carry exact zeros through ReLU, max-pooling and the transposed
    convs) and reads its real inputs where the padded tensors hold them
    (after a skip concatenation the skip starts at the padded width). The
    image input (3 channels) and the 3-channel map are not padded. Same
    outputs up to float rounding; works on a
    :class:`~mmllie.models.enhancers.PixelwiseAdjustmentModule` (or a
    subclass) whose BatchNorms are folded (:func:`fuse_conv_bn`).
    Modifies ``pam`` in place.

    Args:
        pam (nn.Module): The PAM, after :func:`fuse_conv_bn`.
        multiple (int): Pad widths to a multiple of this. Defaults to 8.

    Returns:
        nn.Module: ``pam``, padded.

    Raises:
        ValueError: If ``pam`` has a layer this does not know how to pad
            (e.g. an unfolded BatchNorm).
    """
    for name, m in pam.named_modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            raise ValueError(f'pad_unet_channels: "{name}" is a BatchNorm; '
                             'fold it first (fuse_conv_bn)')
    in_real, in_pad, in_index = 3, 3, None  # channels of the running x
    skips = []
    for enc in pam.encoders:
        convs = [
            n for n, m in enc.named_children() if isinstance(m, nn.Conv2d)
        ]
        for name in convs:
            conv = getattr(enc, name)
            out_pad = _round_up(conv.out_channels, multiple)
            setattr(enc, name, _pad_conv(conv, in_index, in_pad, out_pad))
            in_real, in_pad = conv.out_channels, out_pad
            in_index = torch.arange(in_real)
        skips.append((in_real, in_pad))
    for dec, (skip_real, skip_pad) in zip(pam.decoders, reversed(skips)):
        if not isinstance(dec.up, nn.ConvTranspose2d):
            raise ValueError('pad_unet_channels: expected a ConvTranspose2d '
                             f'upsampling, got {dec.up}')
        up_out = _round_up(dec.up.out_channels, multiple)
        dec.up = _pad_conv(dec.up, in_index, in_pad, up_out)
        name = _only_conv(dec.conv)
        conv = getattr(dec.conv, name)
        up_real = conv.in_channels - skip_real
        index = torch.cat(
            [torch.arange(up_real), up_out + torch.arange(skip_real)])
        out_pad = _round_up(conv.out_channels, multiple)
        setattr(dec.conv, name,
                _pad_conv(conv, index, up_out + skip_pad, out_pad))
        in_real, in_pad = conv.out_channels, out_pad
        in_index = torch.arange(in_real)
    pam.out_conv = _pad_conv(pam.out_conv, in_index, in_pad,
                             pam.out_conv.out_channels)
    return pam


class CUDAGraphModule(nn.Module):
    """Replay one CUDA graph of ``module`` for a fixed input.

    The module is run a few times on a side stream (cuDNN picks its
    kernels), then captured once for inputs of ``example``'s shape, dtype
    and memory format. A call copies its input into the graph's static
    input, replays the captured kernels (one launch instead of one per
    layer) and returns the static output (cloned unless ``clone=False``).
    Inference only (no gradients).

    Args:
        module (nn.Module): An eval-mode model on a CUDA device.
        example (Tensor): An input of the shape, dtype and layout every
            call will have.
        warmup (int): Eager runs before the capture. Defaults to 3.
        clone (bool): Return a copy of the output, so the next call does
            not overwrite it. Defaults to True.
    """

    def __init__(self,
                 module: nn.Module,
                 example: torch.Tensor,
                 warmup: int = 3,
                 clone: bool = True) -> None:
        super().__init__()
        if not example.is_cuda:
            raise ValueError('CUDAGraphModule: the example input must be on '
                             f'a CUDA device, got {example.device}')
        self.module, self.clone = module, clone
        self.static_input = example.detach().clone(
            memory_format=torch.preserve_format)
        stream = torch.cuda.Stream(example.device)
        stream.wait_stream(torch.cuda.current_stream(example.device))
        with torch.no_grad(), torch.cuda.stream(stream):
            for _ in range(warmup):
                module(self.static_input)
        torch.cuda.current_stream(example.device).wait_stream(stream)
        self.graph = torch.cuda.CUDAGraph()
        with torch.no_grad(), torch.cuda.graph(self.graph):
            self.static_output = module(self.static_input)

    def forward(self, x: torch.Tensor):
        """Replay the graph on ``x`` (same shape, dtype and layout)."""
        s = self.static_input
        if x.shape != s.shape or x.dtype != s.dtype or \
                x.stride() != s.stride() or x.device != s.device:
            raise ValueError(
                'CUDAGraphModule: captured for a '
                f'{tuple(s.shape)} {s.dtype} input with strides '
                f'{s.stride()} on {s.device}, got {tuple(x.shape)} '
                f'{x.dtype} with strides {x.stride()} on {x.device}')
        s.copy_(x)
        self.graph.replay()
        if not self.clone:
            return self.static_output
        return tree_map(
            lambda t: t.clone()
            if isinstance(t, torch.Tensor) else t, self.static_output)


def deploy_enhancer(model: nn.Module,
                    fuse_bn: bool = True,
                    channels_last: bool = True,
                    dtype: Optional[torch.dtype] = None,
                    pad_channels: Optional[int] = None) -> nn.Module:
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
        dtype (torch.dtype, optional): Cast the weights (then inputs must
            have this dtype too), e.g. ``torch.float16`` on a GPU.
            Defaults to None (kept).
        pad_channels (int, optional): Zero-pad PAM's widths to a multiple
            of this (:func:`pad_unet_channels`; needs ``fuse_bn``), for
            fp16 / bf16 tensor-core convolutions. Defaults to None.

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
    if pad_channels:
        pams = [
            m for m in fast.modules()
            if hasattr(m, 'encoders') and hasattr(m, 'decoders')
        ]
        if not pams:
            raise ValueError('deploy_enhancer: pad_channels needs a PAM '
                             f'(a UNet), {type(model).__name__} has none')
        for pam in pams:
            pad_unet_channels(pam, pad_channels)
    if dtype is not None:
        fast = fast.to(dtype)
    if channels_last:
        fast = fast.to(memory_format=torch.channels_last)
    return fast
