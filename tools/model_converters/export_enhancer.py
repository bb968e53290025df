"""Export the enhancer of a training checkpoint (~2.3 MB for GEM + PAM).

Example:
    python tools/model_converters/export_enhancer.py \
        work_dirs/nightcity_deeplabv3plus_gpllie/iter_10000.pth gpllie.pth
"""
import argparse
import os.path as osp

import mmllie  # noqa: F401
from mmllie.apis import export_enhancer
from mmllie.checkpoint.resume import check_checkpoint_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='full training checkpoint')
    parser.add_argument('out_file', help='enhancer-only checkpoint to write')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace out_file')
    args = parser.parse_args()
    if osp.realpath(args.out_file) == osp.realpath(args.checkpoint):
        raise FileExistsError(
            f'out_file {args.out_file} is the input checkpoint '
            f'{args.checkpoint}: exporting would replace the training '
            'checkpoint by the enhancer alone. Choose another out_file.')
    check_checkpoint_file(args.checkpoint)
    out = export_enhancer(args.checkpoint, args.out_file, args.overwrite)
    n = sum(v.numel() for v in out['state_dict'].values())
    print(f'wrote {args.out_file}: {len(out["state_dict"])} tensors, '
          f'{n:,} values, enhancer {out["meta"]["enhancer_cfg"]}')


if __name__ == '__main__':
    main()
