"""Convert the ExDark release to Pascal VOC XML (IAT / MAET / YOLA layout).

::

    python tools/dataset_converters/exdark.py data/ExDark data/ExDark_VOC

reads ``imageclasslist.txt``, ``ExDark/`` and ``ExDark_Annno/`` and writes
``Annotations/*.xml``, ``JPEGImages/`` (links) and
``ImageSets/Main/{train,val,test}.txt`` (the authors' 3000/1800/2563
split). ``mmllie.ExDarkDataset`` reads the release directly; this is for
codebases that expect VOC files (mmdet's ``VOCDataset`` with the ExDark
class names). Existing differing files are kept unless ``--overwrite``.
"""
import argparse
import sys

import mmllie  # noqa: F401  (import fixes first)
from mmllie.datasets.exdark_voc import convert_exdark_to_voc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('exdark_root', help='the release root')
    parser.add_argument('out_dir', help='VOC-layout output directory')
    parser.add_argument(
        '--coco-names',
        action='store_true',
        help='write COCO class names (person, motorcycle, dining table...)')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace differing files')
    args = parser.parse_args()
    try:
        counts = convert_exdark_to_voc(args.exdark_root, args.out_dir,
                                       args.coco_names, args.overwrite)
    except (FileNotFoundError, FileExistsError, ValueError, OSError) as e:
        sys.exit(f'error: {e}')
    print(f'{args.out_dir}: ' +
          ', '.join(f'{k} {v}' for k, v in counts.items()) + ' images')


if __name__ == '__main__':
    main()
