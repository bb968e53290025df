"""Unpack the CODaN release archives for ``mmllie.CODaNDataset``.

Run on the release's ``data/`` folder (``git clone
https://github.com/Attila94/CODaN data/CODaN`` puts it at
``data/CODaN/data``)::

    python tools/dataset_converters/codan.py data/CODaN/data

joins ``codan_train.tar.bz2.part0..2`` and unpacks ``codan_<split>.tar.bz2``
into ``data/CODaN/data/{train,val,test_day,test_night}/<Class>/``. Safe to
re-run: an existing split folder is kept unless ``--overwrite`` is given,
and a split is only renamed into place once it is completely unpacked.
"""
import argparse
import sys

import mmllie  # noqa: F401  (import fixes first)
from mmllie.datasets.codan_convert import TRAIN_PARTS, convert_codan
from mmllie.datasets.codan_layout import CODAN_SPLITS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Unpack the CODaN release archives')
    parser.add_argument(
        'data_dir', help="the release's data/ folder with the archives")
    parser.add_argument(
        '--out-dir', help='where the split folders go (default: data_dir)')
    parser.add_argument(
        '--splits',
        nargs='+',
        default=list(CODAN_SPLITS),
        choices=list(CODAN_SPLITS),
        help='splits to unpack (default: all four)')
    parser.add_argument(
        '--num-parts',
        type=int,
        default=TRAIN_PARTS,
        help='pieces of the train archive (the release has 3)')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace split folders that already exist')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    try:
        counts = convert_codan(args.data_dir, args.out_dir, args.splits,
                               args.overwrite, args.num_parts)
    except (FileNotFoundError, ValueError) as e:
        sys.exit(f'error: {e}')
    out_dir = args.out_dir or args.data_dir
    for split, count in counts.items():
        if count < 0:
            print(f'{split}: {out_dir}/{split} exists, skipped '
                  '(--overwrite to replace it)')
        else:
            print(f'{split}: unpacked {count} files into {out_dir}/{split}')


if __name__ == '__main__':
    main()
