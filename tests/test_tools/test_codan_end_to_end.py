"""CODaN end to end, as a user types it: the converter on release-style
archives, ``tools/train.py`` of the day classifier, ``tools/train.py`` of
GEM + PAM in front of it (frozen, darkened day images), ``tools/test.py``
printing test_night and test_day top-1 in one run.

User configs in ``tmp_path`` inherit the repo configs; only the ResNet-18 is
narrowed (16 base channels) and the schedules shortened. Nothing is
downloaded.
"""
import math
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint

from mmllie.models import get_enhancer
from mmllie.models.frozen import freeze_recognizer, mark_recognizer_frozen
from mmllie.testing.codan import make_codan, make_release
from mmllie.testing.tools import ENHANCER, assert_recognizer_frozen, run_tool

pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VARIANTS = ('recognizer', 'gpllie', 'gpllie-gem-only', 'gpllie-pam-only',
            'zero-dce', 'ialm', 'no-enhancer')
CONFIGS = {
    v: osp.join(REPO, 'configs', 'classification', name)
    for v, name in zip(VARIANTS, ('resnet18_8xb32-100e_codan-day-224x224.py',
                                  *(f'{v}_resnet18_1xb8-10k_codan-224x224.py'
                                    for v in VARIANTS[1:-1]),
                                  'no-enhancer_resnet18_codan-224x224.py'))
}
SPLITS = ('test_night', 'test_day')

USER_CONFIG = """_base_ = {base!r}
root = {root!r}
model = dict(  # ResNet-18 with 16 base channels: fast on CPU
    backbone=dict(base_channels=16), head=dict(in_channels=128))
load_from = {ckpt!r}
train_dataloader = dict(
    batch_size={batch}, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=root))
test_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(datasets=[
        dict(d, data_root=root)
        for d in _base_.test_dataloader.dataset.datasets]))
val_dataloader = val_cfg = val_evaluator = None
train_cfg = {train_cfg}
default_hooks = dict(
    checkpoint=dict(interval=1, save_best=None),
    logger=dict(interval=1))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
"""
RECOGNIZER_TRAIN = 'dict(_delete_=True, by_epoch=True, max_epochs=1)'
ENHANCER_TRAIN = 'dict(max_iters=3)'


def top1s(stdout: str) -> dict:
    """The last ``<split>/accuracy/top1: value`` printed for each split."""
    found = {}
    for split in SPLITS:
        values = re.findall(rf'{split}/accuracy/top1: (\S+)', stdout)
        assert values, f'no {split} top-1 in the output:\n{stdout[-4000:]}'
        found[split] = float(values[-1])
    return found


def user_config(tmp, variant: str, root: str, ckpt: str) -> str:
    recognizer = variant == 'recognizer'
    path = str(tmp / f'codan_{variant}.py')
    with open(path, 'w') as f:
        f.write(
            USER_CONFIG.format(
                base=CONFIGS[variant],
                root=root,
                ckpt=None if recognizer else ckpt,  # trained from scratch
                batch=4 if recognizer else 2,
                train_cfg=RECOGNIZER_TRAIN if recognizer else ENHANCER_TRAIN))
    return path


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """Release archives -> converter -> day classifier -> GEM + PAM."""
    tmp = tmp_path_factory.mktemp('codan_e2e')
    make_codan(str(tmp / 'tree'))
    root = str(tmp / 'CODaN' / 'data')
    make_release(str(tmp / 'tree'), root)
    out = run_tool('tools/dataset_converters/codan.py', root)
    assert 'train: unpacked' in out and 'test_night: unpacked' in out
    cfgs = {}
    recognizer_ckpt = str(tmp / 'recognizer' / 'epoch_1.pth')
    for variant in ('recognizer', 'gpllie', 'no-enhancer'):
        cfgs[variant] = user_config(tmp, variant, root, recognizer_ckpt)
    cfgs['recognizer_stdout'] = run_tool('tools/train.py', cfgs['recognizer'],
                                         '--work-dir', str(tmp / 'recognizer'))
    work_dir = str(tmp / 'gpllie')
    stdout = run_tool('tools/train.py', cfgs['gpllie'], '--work-dir', work_dir)
    return dict(
        tmp=tmp,
        root=root,
        cfgs=cfgs,
        ckpt=recognizer_ckpt,
        work_dir=work_dir,
        stdout=stdout)


def test_recognizer_trains_on_codan_day(trained):
    stdout = trained['cfgs']['recognizer_stdout']
    # 20 train images (the fixture), batch 4: 5 iterations of one epoch
    assert re.search(r'Epoch\(train\)\s+\[1\]\[5/5\]', stdout), stdout[-3000:]
    assert 'skipped 1 non-image file' in stdout  # Thumbs.db
    state = _load_checkpoint(trained['ckpt'])['state_dict']
    assert state['head.fc.weight'].shape == (10, 128)
    assert not any(k.startswith(ENHANCER) for k in state)


def test_train_keeps_recognizer_frozen(trained):
    stdout = trained['stdout']
    assert re.search(r'FreezeRecognizerHook: 577,963 trainable', stdout)
    # weights and BN statistics; the zero-initialised output convs of GEM
    # and PAM moved: the classifier's cross-entropy reached the enhancer
    after = assert_recognizer_frozen(
        osp.join(trained['work_dir'], 'iter_3.pth'), trained['ckpt'])
    # and every enhancer tensor (weights, BN statistics) keeps changing
    first = _load_checkpoint(osp.join(trained['work_dir'],
                                      'iter_1.pth'))['state_dict']
    keys = [k for k in after if k.startswith(ENHANCER)]
    assert len(keys) > 80
    for key in keys:
        if after[key].is_floating_point():
            assert not torch.equal(after[key], first[key]), key


def test_test_reports_night_and_day(trained):
    stdout = run_tool('tools/test.py', trained['cfgs']['gpllie'],
                      osp.join(trained['work_dir'], 'iter_3.pth'),
                      '--work-dir', str(trained['tmp'] / 'test'))
    for split, top1 in top1s(stdout).items():
        assert math.isfinite(top1) and 0. <= top1 <= 100., (split, top1)
    # both splits scored in the same run, over all of their images
    assert re.search(r'Iter\(test\) \[3/3\]', stdout), stdout[-3000:]


def test_plain_and_recognizer_configs_agree(trained):
    """No enhancer through the wrapper == the recognizer's own config."""
    plain = top1s(
        run_tool('tools/test.py', trained['cfgs']['no-enhancer'],
                 trained['ckpt'], '--work-dir',
                 str(trained['tmp'] / 'test_plain')))
    own = top1s(
        run_tool('tools/test.py',
                 trained['cfgs']['recognizer'], trained['ckpt'], '--work-dir',
                 str(trained['tmp'] / 'test_own')))
    assert plain == own


def test_mixup_cutmix_through_the_wrapper(trained, tmp_path):
    """mmpretrain's batch augments run in the host, before the enhancer,
    and the frozen guarantee holds."""
    cfg = Config.fromfile(trained['cfgs']['gpllie'])
    cfg.model.train_cfg = dict(augments=[
        dict(type='Mixup', alpha=0.8),
        dict(type='CutMix', alpha=1.0)
    ])
    cfg.work_dir = str(tmp_path)
    cfg.train_cfg.max_iters = 2
    cfg.experiment_name = f'codan_mixup_{tmp_path.name}'
    init_default_scope('mmpretrain')
    runner = Runner.from_cfg(cfg)
    host = runner.model.data_preprocessor.host
    assert host.batch_augments is not None
    # as FreezeRecognizerHook does before the first iteration (the wrapper
    # refuses a training forward until then)
    freeze_recognizer(runner.model)
    mark_recognizer_frozen(runner.model)
    loader = runner.train_dataloader  # not iterated: its sampler is shared
    batch = loader.collate_fn([loader.dataset[0], loader.dataset[5]])
    out = runner.model.data_preprocessor(batch, training=True)
    scores = torch.stack([s.gt_score for s in out['data_samples']])
    assert scores.shape == (2, 10)  # soft labels: the augments ran
    assert torch.allclose(scores.sum(1), torch.ones(2))
    enhancer = get_enhancer(runner.model)
    before = {k: v.clone() for k, v in enhancer.state_dict().items()}
    runner.train()
    recognizer = _load_checkpoint(trained['ckpt'])['state_dict']
    state = runner.model.state_dict()
    for key, value in recognizer.items():
        assert torch.equal(state[key], value), key
    for key, value in enhancer.state_dict().items():
        if value.is_floating_point():
            assert not torch.equal(value, before[key]), key


@pytest.mark.parametrize('variant,enhancer', [('gpllie', 'GPLLIE'),
                                              ('gpllie-gem-only', 'GPLLIE'),
                                              ('gpllie-pam-only', 'GPLLIE'),
                                              ('zero-dce', 'ZeroDCE'),
                                              ('ialm', 'IALM'),
                                              ('no-enhancer', None)])
def test_repo_configs(variant, enhancer):
    """The configs as shipped: mmpretrain's ResNet-18 recipe, 10 classes,
    darkened day training, night + day test, val never on a test split."""
    cfg = Config.fromfile(CONFIGS[variant])
    pre = cfg.model.data_preprocessor
    assert pre.type == 'mmllie.GlobalPixelwiseEnhancer'
    assert pre.host.type == 'ClsDataPreprocessor'
    assert (pre.enhancer or {}).get('type') == enhancer
    if variant.startswith('gpllie'):
        gem_pam = (pre.enhancer.use_gem, pre.enhancer.use_pam)
        assert gem_pam == {
            'gpllie': (True, True),
            'gpllie-gem-only': (True, False),
            'gpllie-pam-only': (False, True)
        }[variant]
    hooks = [] if enhancer is None else [
        dict(type='mmllie.FreezeRecognizerHook'),
        dict(type='mmllie.EnhancerGuardHook'),
        dict(type='mmllie.SignalCheckpointHook')
    ]
    assert cfg.custom_hooks == hooks
    assert cfg.model.backbone.depth == 18 and cfg.model.head.num_classes == 10
    assert cfg.train_dataloader.dataset.split == 'train'
    assert [t.type for t in cfg.train_dataloader.dataset.pipeline
            ].count('mmllie.LowLightSynthesis') == 1
    assert cfg.val_dataloader.dataset.split == 'val'
    assert cfg.val_dataloader.dataset.pipeline[-2] == dict(
        type='mmllie.LowLightSynthesis', level='full', seed=0)
    assert [d.split
            for d in cfg.test_dataloader.dataset.datasets] == list(SPLITS)
    assert [m.subset for m in cfg.test_evaluator] == list(SPLITS)
    assert cfg.optim_wrapper.optimizer == dict(
        type='Adam', lr=5e-4, betas=(0.9, 0.999))
    assert cfg.train_dataloader.batch_size == 8


def test_recognizer_config_is_mmpretrains_recipe():
    cfg = Config.fromfile(CONFIGS['recognizer'])
    assert 'data_preprocessor' not in cfg.model  # the plain recognizer
    assert cfg.optim_wrapper.optimizer.type == 'SGD'
    assert cfg.train_cfg.max_epochs == 100
    assert not any(t.type == 'mmllie.LowLightSynthesis'
                   for t in cfg.train_dataloader.dataset.pipeline)
    assert [d.split
            for d in cfg.test_dataloader.dataset.datasets] == list(SPLITS)


LABEL_FREE_CONFIG = """_base_ = {base!r}
root = {root!r}
model = dict(recognizer=dict(
    backbone=dict(base_channels=16), head=dict(in_channels=128)))
load_from = {ckpt!r}
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=root))
val_dataloader = val_cfg = val_evaluator = None
train_cfg = dict(max_iters=3)
default_hooks = dict(
    checkpoint=dict(interval=3, save_best=None), logger=dict(interval=1))
randomness = dict(seed=0)
"""


def test_label_free_config_trains_without_labels(trained):
    """The label-free CODaN config (``gpllie-label-free_resnet18_…``): the
    day train folders read as bare images, the classifier frozen, the
    checkpoint tested with the plain config."""
    tmp = trained['tmp']
    cfg = str(tmp / 'codan_label_free.py')
    with open(cfg, 'w') as f:
        f.write(
            LABEL_FREE_CONFIG.format(
                base=osp.join(
                    REPO, 'configs', 'classification',
                    'gpllie-label-free_resnet18_1xb8-10k_codan-224x224.py'),
                root=trained['root'],
                ckpt=trained['ckpt']))
    dataset = Config.fromfile(cfg).train_dataloader.dataset
    assert dataset.type == 'mmllie.ImageFolderDataset'
    work_dir = str(tmp / 'label_free')
    stdout = run_tool('tools/train.py', cfg, '--work-dir', work_dir)
    assert 'loss_distill' in stdout and 'Iter(train) [3/3]' in stdout
    assert_recognizer_frozen(osp.join(work_dir, 'iter_3.pth'), trained['ckpt'])
    found = top1s(
        run_tool('tools/test.py', trained['cfgs']['gpllie'],
                 osp.join(work_dir, 'iter_3.pth'), '--work-dir',
                 str(tmp / 'test_label_free')))
    assert all(0. <= v <= 100. for v in found.values())


EXDARK_TEST_CONFIG = """_base_ = {base!r}
model = dict(  # as the trained user config
    backbone=dict(base_channels=16), head=dict(in_channels=128))
test_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root={root!r}, split=None))
"""


def test_exdark_test_config(trained):
    """configs/classification/gpllie_resnet18_codan2exdark-224x224.py on an
    ExDark tree: the CODaN classes only, in CODaN's label order; top-1 from
    mmpretrain's Accuracy on the images the dataset lists."""
    from mmllie.datasets.codan_layout import CODAN_CLASSES
    from mmllie.testing.exdark import IMAGES, make_exdark
    tmp = trained['tmp']
    root = str(tmp / 'ExDark')
    make_exdark(root)
    cfg = str(tmp / 'codan_exdark_test.py')
    with open(cfg, 'w') as f:
        f.write(
            EXDARK_TEST_CONFIG.format(
                base=osp.join(REPO, 'configs', 'classification',
                              'gpllie_resnet18_codan2exdark-224x224.py'),
                root=root))
    stdout = run_tool('tools/test.py', cfg,
                      osp.join(trained['work_dir'], 'iter_3.pth'),
                      '--work-dir', str(tmp / 'test_exdark'))
    kept = [i for i in IMAGES if i[1] in CODAN_CLASSES]
    assert 0 < len(kept) < len(IMAGES)  # People and Table left out
    top1 = float(re.findall(r'accuracy/top1: (\S+)', stdout)[-1])
    # a multiple of 100 / len(kept): scored over exactly those images
    assert math.isclose(
        top1 * len(kept) / 100, round(top1 * len(kept) / 100), abs_tol=1e-3)
    assert re.search(r'Iter\(test\) \[1/1\]', stdout), stdout[-3000:]
