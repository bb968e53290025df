"""mmllie.testing.exlpose.user_config: a loadable user config over the
labelled and the label-free pose configs, with the tiny recognizer."""
import os.path as osp

import pytest
from mmengine.config import Config

from mmllie.testing.exlpose import TINY_POSE_MODEL, user_config
from mmllie.testing.tools import CHECKOUT

POSE = osp.join(CHECKOUT, 'configs', 'pose')


@pytest.mark.parametrize('name, label_free', [
    ('gpllie_td-hm-hrnet-w32_1xb8-10k_exlpose-256x192.py', False),
    ('gpllie-label-free_td-hm-hrnet-w32_1xb8-10k_exlpose-wl2ll-256x192.py',
     True),
])
def test_user_config_loads(tmp_path, name, label_free):
    path = tmp_path / 'user.py'
    path.write_text(
        user_config(
            osp.join(POSE, name),
            '/data/x',
            '/ckpt.pth',
            label_free=label_free))
    cfg = Config.fromfile(str(path))
    recognizer = cfg.model.recognizer if label_free else cfg.model
    assert recognizer.backbone.type == 'ResNet'
    assert recognizer.backbone.base_channels == 16
    assert recognizer.head.in_channels == TINY_POSE_MODEL['head'][
        'in_channels']
    assert cfg.load_from == '/ckpt.pth' and cfg.val_dataloader is None
    train = cfg.train_dataloader.dataset
    assert train.data_root == '/data/x'
    if label_free:  # the fixture's well-lit boxes
        assert train.subset == 'WL'
    assert all(d.data_root == '/data/x'
               for d in cfg.test_dataloader.dataset.datasets)
