"""Convert the official Zero-DCE weights into an mmllie enhancer checkpoint.

Li-Chongyi/Zero-DCE ships ``Zero-DCE_code/snapshots/Epoch99.pth``, a plain
``state_dict`` of its ``enhance_net_nopool`` (``e_conv1`` ... ``e_conv7``,
weight and bias each; ``module.`` prefixes of a DataParallel save are
accepted). The layers are mmllie's ``ZeroDCE`` ``conv1`` ... ``conv7``
with the same shapes and the same forward (skip concatenations, tanh, 8
curve iterations), so the conversion is a renaming, checked strictly.

The output is an enhancer-only checkpoint (like ``export_enhancer.py``'s):
use it with ``tools/enhance.py``, or in front of a frozen recognizer (the
paper's Zero-DCE row, the authors' own model):

Example:
    python tools/model_converters/zero_dce_official.py \\
        Zero-DCE_code/snapshots/Epoch99.pth zero_dce_official.pth
    python tools/test.py configs/segmentation/zero-dce-unsupervised_deeplabv3plus-mbv2-d8_nightcity-512x1024.py \\
        cityscapes_deeplabv3plus.pth --cfg-options \\
        model.data_preprocessor.enhancer.checkpoint=zero_dce_official.pth
"""  # noqa: E501
import argparse
import os.path as osp
import re

import torch
from mmengine.runner.checkpoint import save_checkpoint

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.models.enhancers import ZeroDCE

OFFICIAL_KEY = re.compile(r'^(?:module\.)?e_conv([1-7])\.(weight|bias)$')


def convert(state: dict, source: str = 'state dict') -> dict:
    """Official ``e_convN.*`` keys → mmllie ``ZeroDCE`` ``convN.*``.

    Raises:
        KeyError: a key that is not ``e_conv1..7.weight/bias``, or one of
            them missing; the message names them.
    """
    if 'state_dict' in state and isinstance(state['state_dict'], dict):
        state = state['state_dict']
    out, unexpected = {}, []
    for key, value in state.items():
        match = OFFICIAL_KEY.match(key)
        if match is None:
            unexpected.append(key)
        else:
            out[f'conv{match[1]}.{match[2]}'] = value
    expected = set(ZeroDCE().state_dict())
    missing = sorted(expected - set(out))
    if unexpected or missing:
        raise KeyError(f'{source} is not an official Zero-DCE '
                       'enhance_net_nopool state dict (e_conv1..e_conv7): '
                       f'unexpected keys {unexpected[:5]}, missing '
                       f'{missing[:5]}')
    model = ZeroDCE()
    model.load_state_dict(out, strict=True)  # also checks every shape
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official Epoch99.pth')
    parser.add_argument('dst', help='mmllie enhancer checkpoint to write')
    parser.add_argument('--overwrite', action='store_true', help='replace dst')
    args = parser.parse_args()
    if not osp.isfile(args.src):
        raise FileNotFoundError(f'{args.src} does not exist')
    if osp.exists(args.dst) and not args.overwrite:
        raise FileExistsError(f'{args.dst} exists; pass --overwrite')
    state = torch.load(args.src, map_location='cpu', weights_only=True)
    converted = convert(state, args.src)
    save_checkpoint(
        dict(
            state_dict=converted,
            meta=dict(
                enhancer_cfg=dict(type='ZeroDCE'),
                source=osp.basename(args.src))), args.dst)
    print(f'wrote {args.dst}: ZeroDCE, {len(converted)} tensors from '
          f'{args.src}')


if __name__ == '__main__':
    main()
