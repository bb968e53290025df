"""Convert NightCity labels from Cityscapes labelIds to trainIds.

Writes ``<stem>_trainIds.png`` next to every ``<stem>_labelIds.png`` under
``<nightcity_path>/NightCity-label/label`` (train, val and, for NightCity+,
val_plus), which is what ``mmllie.NightCityDataset`` reads::

    python tools/dataset_converters/nightcity.py data/NightCity --nproc 8

Safe to re-run: identical outputs are skipped, a different existing
output is only replaced with ``--overwrite``, and a run killed mid-write
leaves a ``.part`` file (never a truncated label) that the next run
finishes.
"""
import argparse
import os.path as osp
import sys

import mmllie  # noqa: F401  (import fixes first)
from mmllie.datasets.nightcity_convert import convert_nightcity_labels


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert NightCity labelIds to trainIds')
    parser.add_argument('nightcity_path', help='NightCity data root')
    parser.add_argument(
        '--gt-dir',
        default=osp.join('NightCity-label', 'label'),
        help='label directory, relative to nightcity_path')
    parser.add_argument(
        '--nproc', default=1, type=int, help='number of processes')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace existing *_trainIds.png files that differ')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    gt_dir = osp.join(args.nightcity_path, args.gt_dir)
    try:
        counts = convert_nightcity_labels(gt_dir, args.nproc, args.overwrite)
    except (FileNotFoundError, FileExistsError, ValueError) as e:
        sys.exit(f'error: {e}')
    if counts['incomplete']:
        print(f'{gt_dir}: {counts["incomplete"]} conversions left '
              'unfinished by an earlier run (*.part) were redone')
    print(f'{gt_dir}: converted {counts["converted"]}, skipped '
          f'{counts["skipped"]} already converted')


if __name__ == '__main__':
    main()
