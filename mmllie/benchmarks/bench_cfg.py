"""The config of one embedded-benchmark run, pointed at a data root."""
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
