"""The synthetic day DeepLabV3+: its two training stages and the configs
that freeze it."""
import os
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import _load_checkpoint

from mmllie.benchmarks.synthetic_night import (DAY_CFG, DAY_STAGE1_CFG,
                                               ENH_CFG, RECOGNIZER,
                                               RECOGNIZER_ITERS,
                                               train_recognizer)
from mmllie.datasets import generate_synthetic_city
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.utils.mim_config import get_config_path


def _model(path: str) -> dict:
    return Config.fromfile(get_config_path(path)).model


def test_enhancer_config_freezes_the_shipped_architecture():
    """The enhancer configs inherit stage 1 and take stage 2's ASPP rates:
    their recognizer is the shipped one, trained by cross-entropy only."""
    shipped, stage1 = _model(DAY_CFG), _model(DAY_STAGE1_CFG)
    enh = _model(ENH_CFG)
    assert shipped.decode_head.dilations != stage1.decode_head.dilations
    assert enh.backbone == shipped.backbone
    a, b = dict(enh.decode_head), dict(shipped.decode_head)
    losses = a.pop('loss_decode'), b.pop('loss_decode')
    assert a == b
    assert losses[0] == stage1.decode_head.loss_decode
    assert [l_['type']
            for l_ in losses[1]] == ['CrossEntropyLoss', 'LovaszLoss']
    cfg = Config.fromfile(get_config_path(DAY_CFG))
    assert cfg.train_cfg.max_iters == RECOGNIZER_ITERS[1]
    assert Config.fromfile(get_config_path(
        DAY_STAGE1_CFG)).train_cfg.max_iters == RECOGNIZER_ITERS[0]


def test_shipped_checkpoint_fits_the_config():
    from mmengine.registry import DefaultScope
    from mmseg.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmseg'):
        model = MODELS.build(_model(DAY_CFG))
    state = _load_checkpoint(RECOGNIZER, map_location='cpu')
    assert set(state) == {'state_dict', 'meta'}  # weights only
    model.load_state_dict(state['state_dict'], strict=True)


def test_train_recognizer_runs_both_stages(tmp_path):
    root = str(tmp_path / 'day')
    generate_synthetic_city(
        root, num_train=8, num_val=4, img_size=(64, 128), show_progress=False)
    convert_nightcity_labels(osp.join(root, 'NightCity-label', 'label'))
    work = str(tmp_path / 'work')
    out = train_recognizer(work, root, (2, 3), str(tmp_path / 'day.pth'))
    stage1 = osp.join(work, 'stage1', 'iter_2.pth')
    stage2 = osp.join(work, 'stage2', 'iter_3.pth')
    assert osp.isfile(stage1) and osp.isfile(stage2)
    logs = {}
    for stage in ('stage1', 'stage2'):
        run, = [
            d for d in sorted(os.listdir(osp.join(work, stage)))
            if osp.isdir(osp.join(work, stage, d))
        ]
        logs[stage] = open(osp.join(work, stage, run, f'{run}.log')).read()
    # stage 2 starts from stage 1 and adds the Lovasz term to the loss
    assert f'Load checkpoint from {stage1}' in logs['stage2']
    assert 'loss_lovasz' in logs['stage2']
    assert 'loss_lovasz' not in logs['stage1']
    weights = _load_checkpoint(out, map_location='cpu')
    trained = _load_checkpoint(stage2, map_location='cpu')['state_dict']
    assert 'optimizer' not in weights
    assert weights['state_dict'].keys() == trained.keys()
    for k, v in trained.items():
        assert torch.equal(weights['state_dict'][k], v), k
    assert not torch.equal(
        trained['decode_head.conv_seg.weight'],
        _load_checkpoint(
            stage1,
            map_location='cpu')['state_dict']['decode_head.conv_seg.weight'])
