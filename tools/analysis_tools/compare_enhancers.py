""""Is it helping?" The recognizer's metric with no enhancer, a fixed
gain/gamma baseline and each enhancer checkpoint, per subset; GEM gain
histograms; a grid of examples. Writes report.md, report.json, gains.png
and examples.png to --out-dir.

Example (the synthetic city at two darkness levels):
    python tools/analysis_tools/compare_enhancers.py \\
        configs/synthetic/gpllie_deeplabv3plus-r18-tiny_1xb8-300_synthetic-night-64x128.py \\
        work_dirs/gpllie/iter_300.pth work_dirs/zero-dce/iter_300.pth \\
        --recognizer mmllie/benchmarks/checkpoints/synthetic_deeplabv3plus_r18-tiny_day-128x256.pth \\
        --subset normal test_dataloader.dataset.data_root=data/synthetic_city/night-normal \\
        --subset hard test_dataloader.dataset.data_root=data/synthetic_city/night-hard \\
        --out-dir work_dirs/compare
"""  # noqa: E501
import argparse
import copy
import json
import os
import os.path as osp
import sys

from mmengine.config import Config, DictAction

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.apis import load_enhancer
from mmllie.apis.media_io import check_outputs
from mmllie.benchmarks.compare_enhancers import (recognizer_only, run_test,
                                                 settings)
from mmllie.benchmarks.compare_report import (example_grid, gain_histogram,
                                              gem_gains, markdown_table,
                                              test_image_paths)
from mmllie.models.enhancers import build_enhancer

OUTPUTS = ('report.md', 'report.json', 'gains.png', 'examples.png')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='mmllie config (its test set/metric)')
    parser.add_argument(
        'checkpoints',
        nargs='+',
        help='enhancer checkpoints: enhancer-only or full training ones')
    parser.add_argument(
        '--recognizer',
        help='recognizer checkpoint (default: the config\'s load_from); its '
        'data_preprocessor weights are ignored')
    parser.add_argument(
        '--subset',
        nargs='+',
        action='append',
        metavar=('NAME', 'KEY=VALUE'),
        help='a subset: a name and config overrides, e.g. --subset hard '
        'test_dataloader.dataset.data_root=data/night-hard (repeatable; '
        'default: the config\'s test set as is)')
    parser.add_argument('--gain', type=float, default=4.0)
    parser.add_argument('--gamma', type=float, default=2.2)
    parser.add_argument('--examples', type=int, default=4)
    parser.add_argument('--gain-images', type=int, default=200)
    parser.add_argument('--out-dir', default='work_dirs/compare_enhancers')
    parser.add_argument('--overwrite', action='store_true')
    return parser.parse_args()


def parse_subsets(specs) -> dict:
    """``[[name, 'key=value', ...], ...]`` → ``{name: {key: value}}``;
    values are parsed as ``--cfg-options`` parses them (numbers, booleans,
    None, lists and tuples)."""
    subsets = {}
    for name, *pairs in specs or [[
            '',
    ]]:
        overrides = {}
        for pair in pairs:
            if '=' not in pair:
                raise ValueError(f'--subset {name}: expected KEY=VALUE, '
                                 f'got {pair!r}')
            key, value = pair.split('=', 1)
            overrides[key] = DictAction._parse_iterable(value)
        subsets[name] = overrides
    return subsets


def main() -> None:
    args = parse_args()
    for path in [args.config, *args.checkpoints]:
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path} does not exist')
    outs = [osp.join(args.out_dir, f) for f in OUTPUTS]
    check_outputs(outs, [], args.overwrite)
    cfg = Config.fromfile(args.config)
    recognizer = args.recognizer or cfg.get('load_from')
    if not recognizer or not osp.isfile(recognizer):
        raise FileNotFoundError('recognizer checkpoint '
                                f'{recognizer!r} does not exist (give '
                                '--recognizer or load_from in the config)')
    tmp = osp.join(args.out_dir, 'tmp')
    os.makedirs(tmp, exist_ok=True)
    recognizer = recognizer_only(recognizer, osp.join(tmp, 'recognizer.pth'))
    subsets = parse_subsets(args.subset)
    enhancer_cfgs = settings(args.checkpoints, tmp, args.gain, args.gamma)
    results = {name: {} for name in enhancer_cfgs}
    for name, enhancer_cfg in enhancer_cfgs.items():
        for subset, overrides in subsets.items():
            results[name][subset] = run_test(cfg, enhancer_cfg, recognizer,
                                             overrides, osp.join(tmp, 'runs'))
    modules = {
        name:
        None if c is None else load_enhancer(c['checkpoint'])
        if 'checkpoint' in c else build_enhancer(c).eval()
        for name, c in enhancer_cfgs.items()
    }
    cfg_first = copy.deepcopy(cfg)  # examples and gains: first subset
    cfg_first.merge_from_dict(next(iter(subsets.values())))
    paths = test_image_paths(cfg_first, max(args.examples, args.gain_images))
    gains = {
        n: gem_gains(m, paths)
        for n, m in modules.items() if getattr(m, 'gem', None) is not None
    }
    if gains:
        gain_histogram(gains, outs[2])
    example_grid(modules, paths[:args.examples], outs[3])
    report = dict(
        command=' '.join(sys.argv),
        recognizer=args.recognizer or cfg.get('load_from'),
        settings={
            n: c
            for n, c in enhancer_cfgs.items()
        },
        results=results,
        gem_gains={
            n: g.tolist()
            for n, g in gains.items()
        })
    with open(outs[1], 'w') as f:
        json.dump(report, f, indent=1)
    with open(outs[0], 'w') as f:
        f.write(f'# Is the enhancer helping?\n\n`{report["command"]}`\n\n'
                f'{markdown_table(results)}\n\n' +
                (f'![GEM gains]({OUTPUTS[2]})\n\n' if gains else
                 'No enhancer with GEM: no gain histogram.\n\n') +
                f'![examples]({OUTPUTS[3]})\n')
    print(markdown_table(results))
    print(f'wrote {", ".join(o for o in outs if osp.exists(o))}')


if __name__ == '__main__':
    main()
