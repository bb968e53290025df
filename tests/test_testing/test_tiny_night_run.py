"""mmllie.testing.tiny_night_run: the tree, the user config and the command
lines (the runs themselves are the slow tool tests)."""
import os.path as osp
import sys

from mmengine.config import Config

from mmllie.testing.tiny_night_run import DAY, TinyNightRun


def test_tree_config_and_command(tmp_path):
    run = TinyNightRun(tmp_path, iters=2)
    images = osp.join(run.root, 'NightCity-images', 'images')
    assert all(osp.isdir(osp.join(images, s)) for s in ('train', 'val'))
    cfg = Config.fromfile(run.config)
    assert cfg.load_from == DAY and osp.isfile(DAY)
    assert cfg.train_cfg.max_iters == 2
    assert cfg.train_dataloader.dataset.data_root == run.root
    assert cfg.model.data_preprocessor.type == 'mmllie.GlobalPixelwiseEnhancer'
    cmd = run.command('train.py', run.config, '--work-dir', 'w')
    assert cmd[0] == sys.executable and osp.isfile(cmd[1])
    assert cmd[1].endswith(osp.join('tools', 'train.py'))
    assert cmd[2:] == [run.config, '--work-dir', 'w']
    assert run.env['OMP_NUM_THREADS'] == '1'


def test_label_free_config_reads_no_label(tmp_path):
    run = TinyNightRun(tmp_path, label_free=True)
    cfg = Config.fromfile(run.config)
    assert cfg.model.type == 'mmllie.LabelFreeDistiller'
    assert cfg.train_dataloader.dataset.type == 'mmllie.ImageFolderDataset'
