"""Train an enhancer in front of a frozen recognizer (mmseg/mmpose shape).

Example:
    python tools/train.py configs/nightcity_deeplabv3plus_gpllie.py
"""
import argparse
import logging
import os
import os.path as osp

import torch.distributed as dist
from mmengine.config import Config, DictAction
from mmengine.logging import print_log
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.checkpoint.resume import apply_resume
from mmllie.engine.hooks import SignalCheckpointHook
from mmllie.engine.train_cfg import (add_freeze_hook, add_signal_hook,
                                     allow_partial_load)
from mmllie.utils.cpu_dist import init_cpu_dist


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train an mmllie enhancer')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or, without a value, from '
        'the latest checkpoint in the work dir')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='enable automatic-mixed-precision training')
    parser.add_argument(
        '--partial-load',
        action='store_true',
        help='train although the recognizer\'s weights are not all in '
        'load_from (missing / unexpected keys) nor in its init_cfg, instead '
        'of refusing')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, key=value pairs, e.g. '
        'train_cfg.max_iters=10')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local_rank; torchrun sets LOCAL_RANK
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply command-line options to the config."""
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        optim_wrapper = cfg.optim_wrapper.type
        if optim_wrapper in ('AmpOptimWrapper', 'mmllie.AutoAmpOptimWrapper'):
            print_log(
                'AMP training is already enabled in your config.',
                logger='current',
                level=logging.WARNING)
        else:
            if optim_wrapper != 'OptimWrapper':
                raise ValueError('--amp is only supported with '
                                 f'OptimWrapper, got {optim_wrapper}')
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
    if add_freeze_hook(cfg):
        print_log(
            'custom_hooks has no mmllie.FreezeRecognizerHook (a config that '
            'sets custom_hooks replaces the inherited list); added it so the '
            'recognizer stays frozen',
            logger='current',
            level=logging.WARNING)
    add_signal_hook(cfg)  # SIGTERM: a checkpoint of the iteration reached
    if args.partial_load:
        allow_partial_load(cfg)
    apply_resume(cfg, args.resume)
    return cfg


def main() -> None:
    args = parse_args()
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file {args.config} does not exist')
    cfg = merge_args(Config.fromfile(args.config), args)
    init_cpu_dist(cfg.launcher, cfg.get('env_cfg', {}).get('dist_cfg', {}))
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        runner = RUNNERS.build(cfg)
    try:
        runner.train()
    except Exception:
        SignalCheckpointHook.stop_after_error(runner)  # stopped by a signal
        raise
    if dist.is_initialized():
        # a clean gloo shutdown: no rank tears the group down while another
        # is still in a collective (otherwise a rank may abort at exit)
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
