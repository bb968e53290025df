"""A plain PyTorch network (a file, not a package) as the frozen
recognizer, through the README recipe: mmseg and mmpretrain."""
import copy
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmllie.models.adapters import TorchModuleBackbone, build_network
from mmllie.testing.hosts import HOSTS, TinyDataset

NET = '''
import torch.nn as nn


class TinyNet(nn.Module):
    """A user's network: images -> logits (a dict, like torchvision)."""

    def __init__(self, num_classes, classify=False):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 8, 3, 2, 1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.Conv2d(8, num_classes, 1))
        self.classify = classify

    def forward(self, x):
        out = self.body(x)
        return out.mean((2, 3)) if self.classify else dict(out=out)
'''
RECIPE = '''
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='mmllie.GlobalPixelwiseEnhancer',
        host={host!r},
        enhancer=dict(type='GPLLIE')),
    backbone=dict(
        type='mmllie.TorchModuleBackbone',
        network='{net}:TinyNet',
        kwargs=dict(num_classes=4),
        checkpoint='{ckpt}',
        output_key='out'),
    decode_head=dict(
        type='mmllie.LogitsSegHead',
        num_classes=4,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    test_cfg=dict(mode='whole'))
custom_hooks = [dict(type='mmllie.FreezeRecognizerHook')]
'''
CLS = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        type='mmllie.GlobalPixelwiseEnhancer',
        host=HOSTS['mmpretrain'],
        enhancer=dict(type='GPLLIE')),
    head=dict(
        type='ClsHead', loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))


@pytest.fixture
def user_net(tmp_path):
    path = tmp_path / 'my_net.py'
    path.write_text(NET)
    torch.manual_seed(0)
    ckpts = {}
    for kind, kwargs in (('seg', dict(num_classes=4)),
                         ('cls', dict(num_classes=3, classify=True))):
        net = build_network(f'{path}:TinyNet', kwargs)
        ckpts[kind] = str(tmp_path / f'{kind}.pth')
        torch.save(net.state_dict(), ckpts[kind])
    return str(path), ckpts


def _train(scope, model, tmp_path, hooks):
    runner = Runner(
        model=model,
        experiment_name=f'adapter_{uuid.uuid4().hex}',
        work_dir=str(tmp_path / scope),
        default_scope=scope,
        train_dataloader=dict(
            dataset=TinyDataset(scope, n=4),
            batch_size=2,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=False, max_iters=2),
        optim_wrapper=dict(optimizer=dict(type='Adam', lr=1e-2)),
        custom_hooks=hooks,
        default_hooks=dict(checkpoint=None),
        env_cfg=dict(dist_cfg=dict(backend='gloo')))
    enhancer = copy.deepcopy(
        runner.model.data_preprocessor.enhancer.state_dict())
    net = copy.deepcopy(runner.model.backbone.network.state_dict())
    runner.train()
    return runner.model, enhancer, net


def _assert_frozen_and_trained(model, enhancer, net):
    for k, v in model.backbone.network.state_dict().items():
        assert torch.equal(v, net[k]), k  # weights and BN statistics
    after = model.data_preprocessor.enhancer.state_dict()
    assert any(not torch.equal(after[k], v) for k, v in enhancer.items())


def test_segmentation_recipe(tmp_path, user_net):
    net_file, ckpts = user_net
    cfg_file = tmp_path / 'my_config.py'
    cfg_file.write_text(
        RECIPE.format(host=HOSTS['mmseg'], net=net_file, ckpt=ckpts['seg']))
    cfg = Config.fromfile(str(cfg_file))
    model, enhancer, net = _train('mmseg', cfg.model, tmp_path,
                                  cfg.custom_hooks)
    _assert_frozen_and_trained(model, enhancer, net)
    # the logits are the user's network's, on the normalised input
    x = torch.randn(1, 3, 32, 40)
    user = build_network(f'{net_file}:TinyNet', dict(num_classes=4))
    user.load_state_dict(torch.load(ckpts['seg']))
    user.eval()
    with torch.no_grad():
        torch.testing.assert_close(model.eval()._forward(x), user(x)['out'])


def test_classification(tmp_path, user_net):
    net_file, ckpts = user_net
    model = dict(
        CLS,
        backbone=dict(
            type='mmllie.TorchModuleBackbone',
            network=f'{net_file}:TinyNet',
            kwargs=dict(num_classes=3, classify=True),
            checkpoint=ckpts['cls']))
    model, enhancer, net = _train('mmpretrain', model, tmp_path,
                                  [dict(type='mmllie.FreezeRecognizerHook')])
    _assert_frozen_and_trained(model, enhancer, net)


def test_errors(tmp_path, user_net):
    net_file, _ = user_net
    with pytest.raises(ValueError, match='package.module:Name'):
        TorchModuleBackbone(network='my_net.TinyNet')
    with pytest.raises(FileNotFoundError, match='nowhere.py'):
        TorchModuleBackbone(network='nowhere.py:Net')
    with pytest.raises(AttributeError, match="no 'Missing'"):
        TorchModuleBackbone(network=f'{net_file}:Missing')
    backbone = TorchModuleBackbone(
        network=f'{net_file}:TinyNet', kwargs=dict(num_classes=4))
    with pytest.raises(TypeError, match='set output_key'):
        backbone(torch.rand(1, 3, 8, 8))
