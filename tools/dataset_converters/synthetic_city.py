"""Generate the synthetic street-scene benchmark in the NightCity layout.

Day scenes, and the same scenes darkened by ``mmllie.LowLightSynthesis``::

    python tools/dataset_converters/synthetic_city.py data/synthetic_city/day
    python tools/dataset_converters/synthetic_city.py \\
        data/synthetic_city/hard --level hard            # render + darken
    python tools/dataset_converters/synthetic_city.py \\
        data/synthetic_city/hard --level hard \\
        --darken-from data/synthetic_city/day            # darken a copy

Re-running with the same arguments does nothing; a directory holding other
data is only replaced with ``--overwrite``. Labels are Cityscapes labelIds:
convert them with ``tools/dataset_converters/nightcity.py <out_dir>``.
"""
import argparse
import sys

import mmllie  # noqa: F401  (import fixes first)
from mmllie.datasets.synthetic_city import (darken_dataset,
                                            generate_synthetic_city)
from mmllie.datasets.transforms.low_light import LOW_LIGHT_PRESETS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Synthetic street scenes in the NightCity layout')
    parser.add_argument('out_dir', help='output data root')
    parser.add_argument('--num-train', type=int, default=800)
    parser.add_argument('--num-val', type=int, default=150)
    parser.add_argument(
        '--size', type=int, nargs=2, default=(128, 256), metavar=('H', 'W'))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--level',
        choices=sorted(LOW_LIGHT_PRESETS),
        help='darken with this LowLightSynthesis preset (default: day)')
    parser.add_argument(
        '--darken-from',
        metavar='DAY_DIR',
        help='darken this existing day dataset instead of rendering '
        '(needs --level; --num-*, --size are then unused)')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace other data found in out_dir')
    parser.add_argument('--quiet', action='store_true', help='no progress')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    try:
        if args.darken_from:
            if args.level is None:
                sys.exit('error: --darken-from needs --level')
            darken_dataset(args.darken_from, args.out_dir, args.level,
                           args.seed, args.overwrite, not args.quiet)
        else:
            generate_synthetic_city(args.out_dir, args.num_train, args.num_val,
                                    tuple(args.size), args.seed, args.level,
                                    args.overwrite, not args.quiet)
    except (FileNotFoundError, FileExistsError, ValueError) as e:
        sys.exit(f'error: {e}')
    print(f'\n{args.out_dir}: ready')


if __name__ == '__main__':
    main()
