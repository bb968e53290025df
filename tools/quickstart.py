"""The README's main job: the whole claim on generated data, no downloads.

1. generate a procedural street-scene dataset in the NightCity layout (day)
   and a darkened copy (LowLightSynthesis, seeded), convert labels;
2. train a small DeepLabV3+ on the DAY images (configs/synthetic/...day...);
3. freeze it; evaluate it on day and on night images;
4. train GEM + PAM in front of it on night images by its own loss;
5. print day / night / night+GEM+PAM mIoU (measured, this run).

Example:
    python tools/quickstart.py --work-dir work_dirs/quickstart
"""
import argparse
import json
import os.path as osp

from mmengine.config import Config
from mmengine.runner import Runner

import mmllie  # noqa: F401  (CPU-stack import fixes first)
from mmllie.datasets import generate_synthetic_city
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.datasets.synthetic_city import darken_dataset

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DAY_CFG = 'configs/synthetic/deeplabv3plus_r18-tiny_synthetic-day-64x128.py'
GPLLIE_CFG = ('configs/synthetic/'
              'gpllie_deeplabv3plus_r18-tiny_synthetic-night-64x128.py')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/quickstart')
    parser.add_argument('--data-root', default='data/synthetic_city')
    parser.add_argument('--num-train', type=int, default=400)
    parser.add_argument('--num-val', type=int, default=80)
    parser.add_argument('--level', default='hard', help='darkness preset')
    parser.add_argument('--day-iters', type=int, default=600)
    parser.add_argument('--enhancer-iters', type=int, default=300)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def prepare_data(args: argparse.Namespace) -> tuple:
    day = osp.join(args.data_root, 'day')
    night = osp.join(args.data_root, f'night-{args.level}')
    generate_synthetic_city(
        day, args.num_train, args.num_val, img_size=(64, 128), seed=args.seed)
    darken_dataset(day, night, args.level, seed=args.seed)
    for root in (day, night):
        convert_nightcity_labels(osp.join(root, 'NightCity-label', 'label'))
    return day, night


def _cfg(path: str, work_dir: str, data_root: str, iters: int,
         **extra) -> Config:
    cfg = Config.fromfile(osp.join(REPO, path))
    cfg.work_dir = work_dir
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
    cfg.train_cfg.max_iters = iters
    cfg.train_cfg.val_interval = iters
    cfg.default_hooks.checkpoint.interval = iters
    cfg.param_scheduler[0].end = iters
    cfg.merge_from_dict(extra)
    return cfg


def miou(cfg: Config, data_root: str, checkpoint: str) -> float:
    cfg = cfg.copy()
    cfg.test_dataloader.dataset.data_root = data_root
    cfg.load_from = checkpoint
    return Runner.from_cfg(cfg).test()['mIoU']


def main() -> None:
    args = parse_args()
    day, night = prepare_data(args)
    work = args.work_dir
    day_cfg = _cfg(
        DAY_CFG,
        osp.join(work, 'day_recognizer'),
        day,
        args.day_iters,
        randomness=dict(seed=args.seed))
    recognizer = osp.join(day_cfg.work_dir, f'iter_{args.day_iters}.pth')
    if not osp.exists(recognizer):
        Runner.from_cfg(day_cfg).train()
    rows = dict(
        day=miou(day_cfg, day, recognizer),
        night=miou(day_cfg, night, recognizer))
    enh_cfg = _cfg(
        GPLLIE_CFG,
        osp.join(work, 'gpllie'),
        night,
        args.enhancer_iters,
        load_from=recognizer,
        randomness=dict(seed=args.seed))
    Runner.from_cfg(enh_cfg).train()
    enhancer = osp.join(enh_cfg.work_dir, f'iter_{args.enhancer_iters}.pth')
    rows['night + GEM + PAM'] = miou(enh_cfg, night, enhancer)
    drop = rows['day'] - rows['night']
    recovered = (rows['night + GEM + PAM'] - rows['night']) / drop \
        if drop > 0 else float('nan')
    lines = ['| setting | mIoU |', '|---|---|']
    lines += [f'| {k} | {v:.2f} |' for k, v in rows.items()]
    lines.append(f'\nshare of the day→night drop recovered: '
                 f'{100 * recovered:.1f} % (level {args.level}, seed '
                 f'{args.seed})')
    print('\n'.join(lines))
    with open(osp.join(work, 'results.json'), 'w') as f:
        json.dump(
            dict(rows, recovered=recovered, level=args.level, seed=args.seed),
            f,
            indent=2)


if __name__ == '__main__':
    main()
