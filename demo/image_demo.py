"""Enhancer + recognizer on an image or a folder: input | enhanced |
prediction, side by side, written to ``--out-dir``.

The recognizer's own inferencer (``MMSegInferencer``, ``Pose2DInferencer``
with the whole image as the person box, mmpretrain's
``ImageClassificationInferencer``, mmdet's ``DetInferencer``) runs the
mmllie config, so the enhancer runs in front of the recognizer exactly as in
``tools/test.py``; the prediction is drawn on the enhanced image by the
recognizer's visualiser.

Example:
    python demo/image_demo.py night.png \\
        configs/nightcity_deeplabv3plus_gpllie.py iter_10000.pth \\
        --out-dir demo_out
"""
import argparse
import os.path as osp

from mmengine.utils import ProgressBar

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.apis import build_inferencer
from mmllie.apis.media_io import (check_outputs, list_images, read_image,
                                  write_image)
from mmllie.apis.visualize import demo_panel
from mmllie.utils.device import check_device


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('img', help='image file or folder of images')
    parser.add_argument('config', help='mmllie config file')
    parser.add_argument('checkpoint', help='enhancer + recognizer checkpoint')
    parser.add_argument('--out-dir', default='demo_out')
    parser.add_argument('--device', default='cpu', help='e.g. cuda:0')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace existing outputs')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    files = list_images(args.img)
    outs = [
        osp.join(args.out_dir,
                 osp.splitext(osp.basename(f))[0] + '.png') for f in files
    ]
    check_outputs(outs, files, args.overwrite)
    check_device(args.device)
    inferencer = build_inferencer(args.config, args.checkpoint, args.device)
    bar = ProgressBar(len(files))
    for path, out in zip(files, outs):
        write_image(out, demo_panel(inferencer, read_image(path)))
        bar.update()
    print(f'\nwrote {len(outs)} images to {args.out_dir}')


if __name__ == '__main__':
    main()
