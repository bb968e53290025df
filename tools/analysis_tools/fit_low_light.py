"""Fit the darkening ranges of mmllie.LowLightSynthesis to night images.

Prints the fitted ``darkness_range`` and ``shot_noise_range`` (arguments of
``mmllie.LowLightSynthesis`` / ``mmllie.BatchLowLightSynthesis``), the
night images' colour cast next to the day frames', and per-image estimates
with ``--verbose``.

Example:
    python tools/analysis_tools/fit_low_light.py --night my_night_photos/ \
        --day data/cityscapes/leftImg8bit/train
"""
import argparse
import glob
import json
import os.path as osp
from typing import List

import mmcv
import numpy as np

import mmllie  # noqa: F401  (CPU-stack import fixes first)
from mmllie.models.darkening.fit import GAMMA, fit_low_light_ranges

EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp')


def read_images(folder: str, max_side: int) -> List[np.ndarray]:
    """Every image under ``folder`` (recursively), as uint8 BGR, resized so
    that its longer side is at most ``max_side``."""
    if not osp.isdir(folder):
        raise FileNotFoundError(f'{folder} is not a folder')
    paths = sorted(
        p for p in glob.glob(osp.join(folder, '**', '*'), recursive=True)
        if p.lower().endswith(EXTENSIONS))
    if not paths:
        raise FileNotFoundError(f'no {"/".join(EXTENSIONS)} image under '
                                f'{folder}')
    images = []
    for path in paths:
        img = mmcv.imread(path, 'color')
        if img is None:
            raise ValueError(f'{path} is not a readable image')
        if max(img.shape[:2]) > max_side:
            img = mmcv.imrescale(img, max_side / max(img.shape[:2]))
        images.append(img)
    return images


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--night', required=True, help='night images')
    parser.add_argument(
        '--day', required=True, help='the day frames to be darkened')
    parser.add_argument('--gamma', type=float, default=GAMMA)
    parser.add_argument('--quantiles', type=float, nargs=2, default=(0.1, 0.9))
    parser.add_argument(
        '--max-side',
        type=int,
        default=1024,
        help='resize larger images to this longer side first')
    parser.add_argument('--verbose', action='store_true')
    args = parser.parse_args()
    fit = fit_low_light_ranges(
        read_images(args.night, args.max_side),
        read_images(args.day, args.max_side),
        gamma=args.gamma,
        quantiles=tuple(args.quantiles))
    per_image = fit.pop('per_image')
    print(json.dumps(fit, indent=2))
    lo, hi = fit['darkness_range']
    slo, shi = fit['shot_noise_range']
    print(f"\nLowLightSynthesis(darkness_range=({lo:.4g}, {hi:.4g}), "
          f"shot_noise_range=({slo:.3g}, {shi:.3g}))  # from "
          f'{len(per_image)} night images')
    if args.verbose:
        for p in per_image:
            print(json.dumps(p))


if __name__ == '__main__':
    main()
