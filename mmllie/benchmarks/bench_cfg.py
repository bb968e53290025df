"""The config of one embedded-benchmark run: pointed at a data root,
trained for a number of iterations."""
from mmengine.config import Config

from mmllie.utils.mim_config import get_config_path


def benchmark_cfg(path: str, work_dir: str, data_root: str,
                  **options) -> Config:
    """``path`` (an ``mmllie::`` config) with every dataloader reading
    ``data_root``, writing to ``work_dir``, ``options`` merged in."""
    cfg = Config.fromfile(get_config_path(path))
    cfg.work_dir = work_dir
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
    cfg.merge_from_dict(options)
    return cfg


def train_only(cfg: Config, iters: int) -> Config:
    """Train ``iters`` iterations, save the last, validate nothing.

    The benchmarks test every checkpoint on each level themselves; a
    validation at the end would repeat one of them.
    """
    cfg.train_cfg.max_iters = cfg.param_scheduler[0].end = iters
    cfg.train_cfg.pop('val_interval', None)
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.default_hooks.checkpoint.interval = iters
    return cfg
