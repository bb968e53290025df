"""Convert EdgeNets ESPNetv2 segmentation weights to an mmseg checkpoint.

The weights are loaded into this project's ESPNetv2 with ``strict=True``
(every key and shape must match) and saved under the keys of the project's
configs (``backbone.network.*``), so that ``tools/test.py`` and ``load_from``
take them like any OpenMMLab recognizer checkpoint.

Example:
    python projects/espnetv2_cityscapes/tools/edgenets2mmseg.py \
        espnetv2_s_2.0_city_1024x512.pth espnetv2_s2.0_city_mmseg.pth
"""
import argparse
import os.path as osp

import torch

from mmllie.models.adapters import build_network

NETWORK = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'espnetv2',
    'espnetv2.py') + ':ESPNetv2Segmentation'
PREFIX = 'backbone.network.'


def convert(src: str,
            dst: str,
            s: float = 2.0,
            classes: int = 20,
            dataset: str = 'city') -> dict:
    """Load ``src`` strictly into ESPNetv2 and save it as ``dst``.

    Returns:
        dict: The saved checkpoint (``state_dict`` and ``meta``).
    """
    if not osp.isfile(src):
        raise FileNotFoundError(f'EdgeNets weights {src} do not exist')
    state = torch.load(src, map_location='cpu', weights_only=True)
    if not isinstance(state, dict):
        raise TypeError(f'{src}: expected a state dict, got '
                        f'{type(state).__name__}')
    state = state.get('state_dict', state)
    net = build_network(NETWORK, dict(s=s, classes=classes, dataset=dataset))
    try:
        net.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise RuntimeError(
            f'{src} is not an ESPNetv2 s={s} {dataset} network with '
            f'{classes} classes: {e}') from None
    ckpt = dict(
        state_dict={
            PREFIX + k: v
            for k, v in net.state_dict().items()
        },
        meta=dict(
            source=osp.basename(src),
            network=f'ESPNetv2Segmentation(s={s}, classes={classes}, '
            f'dataset={dataset!r})'))
    torch.save(ckpt, dst)
    return ckpt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='EdgeNets weights (a plain state dict)')
    parser.add_argument('dst', help='output mmseg checkpoint')
    parser.add_argument('--s', type=float, default=2.0, help='width scale')
    parser.add_argument('--classes', type=int, default=20)
    parser.add_argument(
        '--dataset', default='city', choices=['city', 'pascal', 'coco'])
    args = parser.parse_args()
    ckpt = convert(args.src, args.dst, args.s, args.classes, args.dataset)
    print(f'wrote {args.dst}: {len(ckpt["state_dict"])} tensors')


if __name__ == '__main__':
    main()
