"""ExLPose end to end, as a user types it: ``tools/train.py`` a few
iterations, then ``tools/test.py`` reporting LL-N/H/E/A AP in one run.

A generated ExLPose tree, a user config in ``tmp_path`` inheriting the repo
config (only the recognizer shrunk to a ResNet-18/16 for speed; enhancer,
data, pipelines, hooks and metrics are the repo's) and a recognizer
checkpoint written by the test: nothing is downloaded.
"""
import math
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import save_checkpoint
from mmpose.structures import PoseDataSample

from mmllie.testing.exlpose import four_aps, make_exlpose, user_config
from mmllie.testing.tools import assert_recognizer_frozen, run_tool

pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NAME = '{}_td-hm-hrnet-w32_exlpose.py'
CONFIGS = {
    v:
    osp.join(REPO, 'configs', 'pose', f'{v}_td-hm-hrnet-w32_{schedule}'
             'exlpose-256x192.py')
    for v, schedule in (('gpllie', '1xb8-10k_'), ('gpllie-gem-only',
                                                  '1xb8-10k_'),
                        ('gpllie-pam-only', '1xb8-10k_'), ('no-enhancer', ''))
}
LL = ('LL-N', 'LL-H', 'LL-E', 'LL-A')


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """Fixture tree, user configs, recognizer checkpoint, a training run."""
    tmp = tmp_path_factory.mktemp('exlpose_e2e')
    root = str(tmp / 'ExLPose')
    make_exlpose(root, 'public')
    ckpt = str(tmp / 'recognizer.pth')
    cfgs = {}
    for variant in ('gpllie', 'no-enhancer'):
        cfgs[variant] = str(tmp / NAME.format(variant))
        with open(cfgs[variant], 'w') as f:
            f.write(user_config(CONFIGS[variant], root, ckpt))
    # the "pretrained" recognizer: random weights, saved without enhancer
    init_default_scope('mmpose')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(cfgs['no-enhancer']).model)
    save_checkpoint(dict(state_dict=model.state_dict()), ckpt)
    work_dir = str(tmp / 'work')
    stdout = run_tool('tools/train.py', cfgs['gpllie'], '--work-dir', work_dir)
    return dict(
        tmp=tmp, cfgs=cfgs, ckpt=ckpt, work_dir=work_dir, stdout=stdout)


def test_train_keeps_recognizer_frozen(trained):
    stdout, work_dir = trained['stdout'], trained['work_dir']
    assert re.search(r'FreezeRecognizerHook: [\d,]+ trainable', stdout)
    # the zero-initialised output convs of GEM and PAM moved: gradients of
    # the heatmap loss reached the enhancer through the frozen recognizer
    assert_recognizer_frozen(osp.join(work_dir, 'iter_3.pth'), trained['ckpt'])


def test_test_reports_four_aps(trained):
    stdout = run_tool('tools/test.py', trained['cfgs']['gpllie'],
                      osp.join(trained['work_dir'], 'iter_3.pth'),
                      '--work-dir', str(trained['tmp'] / 'test'))
    for subset, ap in four_aps(stdout).items():
        assert math.isfinite(ap) and 0. <= ap <= 1., (subset, ap)


def test_plain_recognizer_reports_four_aps(trained):
    stdout = run_tool('tools/test.py', trained['cfgs']['no-enhancer'],
                      trained['ckpt'], '--work-dir',
                      str(trained['tmp'] / 'test_plain'))
    # not among the Runner's hooks (its table: "(PRIORITY) HookName")
    assert not re.search(r'\(\w+ *\) FreezeRecognizerHook', stdout)
    assert re.search(r'\(\w+ *\) RuntimeInfoHook', stdout)
    for subset, ap in four_aps(stdout).items():
        assert math.isfinite(ap) and 0. <= ap <= 1., (subset, ap)


@pytest.mark.parametrize('variant,gem,pam', [('gpllie', True, True),
                                             ('gpllie-gem-only', True, False),
                                             ('gpllie-pam-only', False, True),
                                             ('no-enhancer', None, None)])
def test_repo_configs(variant, gem, pam):
    """The configs as shipped: mmpose's ExLPose recipe (HRNet-W32, 14
    keypoints, 256x192), no download, ground-truth boxes, four subsets."""
    cfg = Config.fromfile(CONFIGS[variant])
    pre = cfg.model.data_preprocessor
    assert pre.type == 'mmllie.GlobalPixelwiseEnhancer'
    assert pre.host.type == 'PoseDataPreprocessor'
    if gem is None:
        assert pre.enhancer is None and cfg.custom_hooks == []
    else:
        assert (pre.enhancer.use_gem, pre.enhancer.use_pam) == (gem, pam)
        assert cfg.custom_hooks == [
            dict(type='mmllie.FreezeRecognizerHook'),
            dict(type='mmllie.EnhancerGuardHook'),
            dict(type='mmllie.SignalCheckpointHook')
        ]
    assert cfg.model.backbone.type == 'HRNet'
    assert cfg.model.backbone.init_cfg is None
    assert cfg.model.head.out_channels == 14
    assert cfg.codec.input_size == (192, 256)
    assert cfg.train_dataloader.batch_size == 8
    assert cfg.optim_wrapper.optimizer.type == 'Adam'
    assert cfg.optim_wrapper.optimizer.lr == 5e-4
    assert cfg.train_dataloader.dataset.subset == 'train-LL'
    datasets = cfg.test_dataloader.dataset.datasets
    assert [d.subset for d in datasets] == list(LL)
    assert all(d.bbox_file is None and d.image_tree == 'dark'
               for d in datasets)
    assert [m.prefix for m in cfg.test_evaluator] == [f'{s}/coco' for s in LL]
    assert cfg.val_evaluator == cfg.test_evaluator
    # no checkpoint selection on the test subsets (ExLPose has no val split)
    assert cfg.default_hooks.checkpoint.save_best is None


def test_repo_config_model_runs():
    """The full recognizer + GEM/PAM builds and gives 14 64x48 heatmaps."""
    cfg = Config.fromfile(CONFIGS['gpllie'])
    init_default_scope('mmpose')
    model = MODELS.build(cfg.model).eval()
    data = dict(
        inputs=[torch.randint(0, 30, (3, 256, 192), dtype=torch.uint8)],
        data_samples=[PoseDataSample(metainfo=dict(img_shape=(256, 192)))])
    with torch.no_grad():
        heatmaps = model(**model.data_preprocessor(data), mode='tensor')
    assert heatmaps.shape == (1, 14, 64, 48)
    assert torch.isfinite(heatmaps).all()
