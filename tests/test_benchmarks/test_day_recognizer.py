"""The synthetic day DeepLabV3+: its two training stages and the configs
that freeze it."""
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import _load_checkpoint

from mmllie.benchmarks.synthetic_night import (DATA, DAY_CFG, DAY_STAGE1_CFG,
                                               ENH_CFG, RECOGNIZER,
                                               RECOGNIZER_ITERS, STAGE1_DATA,
                                               stage1_root, train_recognizer)
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


def test_stages_train_on_crops_of_their_cities():
    """Stage 1 trains on the city rendered at the crop size; stage 2 and
    the enhancers on 64x128 crops of the benchmark's 128x256 city, which
    they are tested on whole."""
    stage1 = Config.fromfile(get_config_path(DAY_STAGE1_CFG))
    stage2 = Config.fromfile(get_config_path(DAY_CFG))
    enh = Config.fromfile(get_config_path(ENH_CFG))
    crop = tuple(stage1.crop_size)
    assert crop == STAGE1_DATA['img_size'] == (64, 128)
    assert DATA['img_size'] == (128, 256)
    assert stage1.train_dataloader.dataset.data_root == osp.join(
        stage1_root('data/synthetic_city'), 'day')
    assert stage1_root('data/synthetic_city/') == 'data/synthetic_city_64x128'
    assert stage2.train_dataloader.dataset.data_root == \
        'data/synthetic_city/day'
    assert stage2.val_dataloader.dataset.data_root == 'data/synthetic_city/day'
    for cfg in (stage2, enh):
        pipe = {t['type']: t for t in cfg.train_dataloader.dataset.pipeline}
        assert tuple(pipe['RandomCrop']['crop_size']) == crop
        assert 'RandomCrop' not in {
            t['type']
            for t in cfg.test_dataloader.dataset.pipeline
        }
    resize, = [
        t for t in stage2.train_dataloader.dataset.pipeline
        if t['type'] == 'RandomResize'
    ]
    assert tuple(resize['scale']) == (256, 128)  # (W, H) of the scenes
    assert enh.model.data_preprocessor.channels_last


def test_shipped_checkpoint_fits_the_config():
    from mmengine.registry import DefaultScope
    from mmseg.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmseg'):
        model = MODELS.build(_model(DAY_CFG))
    state = _load_checkpoint(RECOGNIZER, map_location='cpu')
    assert set(state) == {'state_dict', 'meta'}  # weights only
    model.load_state_dict(state['state_dict'], strict=True)


@pytest.mark.slow
def test_train_recognizer_runs_both_stages(tmp_path):
    roots = []
    for name, size in (('small', (64, 128)), ('large', (128, 192))):
        root = str(tmp_path / name / 'day')
        generate_synthetic_city(
            root, num_train=8, num_val=4, img_size=size, show_progress=False)
        convert_nightcity_labels(osp.join(root, 'NightCity-label', 'label'))
        roots.append(root)
    work = str(tmp_path / 'work')
    out = train_recognizer(
        work, roots, (2, 3), str(tmp_path / 'day.pth'), scene_size=(128, 192))
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
    # stage 1 trains on the small city, stage 2 on the large one, resized
    # around its own scene size; stage 2 starts from stage 1 and adds the
    # Lovasz term to the loss
    assert roots[0] in logs['stage1'] and roots[1] not in logs['stage1']
    assert roots[1] in logs['stage2'] and roots[0] not in logs['stage2']
    dumped = Config.fromfile(
        osp.join(work, 'stage2', osp.basename(get_config_path(DAY_CFG))))
    resize, = [
        t for t in dumped.train_dataloader.dataset.pipeline
        if t['type'] == 'RandomResize'
    ]
    assert tuple(resize['scale']) == (192, 128)
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
