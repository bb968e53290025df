"""Evaluate a (frozen recognizer + enhancer) checkpoint.

Example:
    python tools/test.py configs/nightcity_deeplabv3plus_gpllie.py \
        work_dirs/nightcity_deeplabv3plus_gpllie/iter_4000.pth \
        --show-dir vis
"""
import argparse
import os
import os.path as osp

import torch.distributed as dist
from mmengine.config import Config, DictAction
from mmengine.model import is_model_wrapper
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

import mmllie  # noqa: F401  (CPU-stack import fixes before anything else)
from mmllie.apis.enhancer_guard import (compare_enhancer_states,
                                        write_guard_report)
from mmllie.checkpoint.keys import check_checkpoint_matches
from mmllie.checkpoint.resume import check_load_from
from mmllie.engine.hooks.enhancer_guard_hook import START_FILE
from mmllie.hosts import get_host
from mmllie.models.host_pairing import check_host_pairing
from mmllie.utils.cpu_dist import init_cpu_dist
from mmllie.utils.safe_load import safe_torch_load


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Test a recognizer with an mmllie enhancer')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir', help='the directory to save evaluation results')
    parser.add_argument(
        '--show-dir',
        help='directory where predictions (host visualizer) and enhanced '
        'input images (enhanced/) are saved')
    parser.add_argument(
        '--interval',
        type=int,
        default=1,
        help='with --show-dir, save the prediction of every N-th test batch '
        '(the host hook alone saves every 50th)')
    parser.add_argument(
        '--guard',
        action='store_true',
        help='also test with no enhancer and with the enhancer\'s starting '
        'state (enhancer_start.pth beside the checkpoint, else a fresh '
        'one); logs and writes to enhancer_guard.json in the work dir the '
        'three means and, per image, how many images each state makes '
        'better / worse than the others; warns if the enhancer is worse '
        'than none')
    parser.add_argument(
        '--partial-load',
        action='store_true',
        help='load a checkpoint whose weights do not all match the model '
        '(missing / unexpected keys), instead of refusing it')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, key=value pairs')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def trigger_visualization(cfg: Config,
                          show_dir: str,
                          interval: int = 1) -> Config:
    """Save host predictions and enhanced images under ``show_dir``."""
    hook = cfg.get('default_hooks', {}).get('visualization')
    if hook is not None:
        hook['interval'] = interval
        get_host(cfg.get('default_scope')).enable_visualization(
            hook, cfg.visualizer, show_dir)
    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
        dict(
            type='mmllie.SaveEnhancedImagesHook',
            out_dir=osp.join(show_dir, 'enhanced'))
    ]
    return cfg


def guard(runner: Runner, checkpoint: str) -> None:
    """No enhancer / starting state / trained, side by side."""
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    pre = model.data_preprocessor
    if getattr(pre, 'enhancer', None) is None:
        raise ValueError('--guard: the model has no mmllie enhancer '
                         '(model.data_preprocessor.enhancer) to compare.')
    start_file = osp.join(osp.dirname(checkpoint), START_FILE)
    if osp.isfile(start_file):
        start = safe_torch_load(start_file, map_location='cpu')
    else:
        start = pre.fresh_enhancer_state()
    loop = runner.test_loop
    # the test split: reported (means and per image), never used to choose
    results = compare_enhancer_states(
        runner.model, loop.dataloader, loop.evaluator, start, test=True)
    write_guard_report(results, runner.work_dir)


def check_empty_dir(path: str) -> None:
    """Refuse an output directory that already holds files (rank 0 only:
    other ranks may start after rank 0 began writing there)."""
    rank = int(os.environ.get('RANK', 0))
    if rank == 0 and osp.isdir(path) and os.listdir(path):
        raise FileExistsError(
            f'--show-dir {path} exists and is not empty: its predictions and '
            'enhanced images would be mixed with this run\'s. Choose a new '
            'directory or remove it.')


def main() -> None:
    args = parse_args()
    for path, what in ((args.config, 'config'), (args.checkpoint,
                                                 'checkpoint')):
        if not osp.isfile(path):
            raise FileNotFoundError(f'{what} file {path} does not exist')
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    check_load_from(args.checkpoint)
    if args.show_dir:
        check_empty_dir(args.show_dir)  # before anything is written
        cfg = trigger_visualization(cfg, args.show_dir, args.interval)
    init_cpu_dist(cfg.launcher, cfg.get('env_cfg', {}).get('dist_cfg', {}))
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        runner = RUNNERS.build(cfg)
    check_host_pairing(runner.model)
    if not args.partial_load:
        check_checkpoint_matches(runner.model, args.checkpoint)
    runner.test()
    if args.guard:
        guard(runner, args.checkpoint)
    if dist.is_initialized():
        # a clean gloo shutdown: no rank tears the group down while another
        # is still in a collective (otherwise a rank may abort at exit)
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
