"""Time an enhancer config's training step with and without channels_last.

Builds the config's model (enhancer in ``mmllie.GlobalPixelwiseEnhancer``
in front of the frozen recognizer, no weights needed), then times full
training steps (data preprocessor → loss → backward) on random uint8
images of the config's crop size, alternating ``channels_last=False`` /
``True`` step by step in one process, so load changes hit both alike.
Prints the median of each and their ratio, and the same for one test
forward (no grad) on images ``--test-scale`` times larger.

Example:
    CFG=configs/synthetic/gpllie_deeplabv3plus-r18-tiny_1xb8-300_\\
synthetic-night-64x128.py
    python tools/analysis_tools/train_step_speed.py $CFG --threads 1
"""
import argparse
import copy
import statistics
import time
from typing import Dict, List

import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from mmengine.structures import PixelData

import mmllie  # noqa: F401  (CPU-stack import fixes first)
from mmllie.models.frozen import (freeze_recognizer, mark_recognizer_frozen,
                                  set_recognizer_eval)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='an mmseg enhancer config')
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--repeats', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--batch-size', type=int)
    parser.add_argument('--test-scale', type=int, default=2)
    return parser.parse_args()


def _batch(n: int, h: int, w: int) -> dict:
    from mmseg.structures import SegDataSample
    samples = []
    for _ in range(n):
        s = SegDataSample(
            gt_sem_seg=PixelData(data=torch.randint(0, 19, (1, h, w))))
        s.set_metainfo(
            dict(img_shape=(h, w), pad_shape=(h, w), ori_shape=(h, w)))
        samples.append(s)
    imgs = [(torch.rand(3, h, w) * 60).byte() for _ in range(n)]
    return dict(inputs=imgs, data_samples=samples)


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    h, w = cfg.get('crop_size', (64, 128))
    n = args.batch_size or cfg.train_dataloader.batch_size
    if cfg.model.data_preprocessor.get('type') != \
            'mmllie.GlobalPixelwiseEnhancer':
        raise SystemExit(f'{args.config}: model.data_preprocessor is not '
                         'mmllie.GlobalPixelwiseEnhancer')
    models = {}
    for fast in (False, True):
        model_cfg = copy.deepcopy(cfg.model)
        model_cfg.data_preprocessor.channels_last = fast
        model = MODELS.build(model_cfg)
        freeze_recognizer(model)
        mark_recognizer_frozen(model)
        set_recognizer_eval(model)
        models['channels_last' if fast else 'contiguous'] = model
    train: Dict[str, List[float]] = {k: [] for k in models}
    test: Dict[str, List[float]] = {k: [] for k in models}
    th, tw = h * args.test_scale, w * args.test_scale
    for i in range(args.warmup + args.repeats):
        for name, model in models.items():
            start = time.perf_counter()
            data = model.data_preprocessor(_batch(n, h, w), True)
            losses = model.loss(data['inputs'], data['data_samples'])
            sum(v for k, v in losses.items() if 'loss' in k).backward()
            took = time.perf_counter() - start
            start = time.perf_counter()
            with torch.no_grad():
                data = model.data_preprocessor(_batch(n, th, tw))
                model._forward(data['inputs'])
            if i >= args.warmup:
                train[name].append(took)
                test[name].append(time.perf_counter() - start)
    print(f'{args.config}: batch {n}, train {h}x{w}, test {th}x{tw}, '
          f'{args.threads} thread(s), median of {args.repeats}')
    for what, times in (('training step', train), ('test forward', test)):
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f'{what:14s} contiguous {med["contiguous"]:.4f} s  '
              f'channels_last {med["channels_last"]:.4f} s  '
              f'ratio {med["contiguous"] / med["channels_last"]:.2f}x')


if __name__ == '__main__':
    main()
