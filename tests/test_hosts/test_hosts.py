"""Every registered host adapter, and adding one (an mmocr-like host)."""
import copy
import importlib
import sys
import textwrap

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import Registry, init_default_scope

from mmllie.hosts import (BaseHost, all_host_names, get_host, host_of,
                          import_host_modules)
from mmllie.models import get_enhancer
from mmllie.models.enhancers import build_enhancer
from mmllie.models.losses import OutputDistillationLoss
from mmllie.registry import HOSTS

NAMES = all_host_names()


def test_the_four_codebases_are_registered():
    assert {'mmseg', 'mmpose', 'mmpretrain', 'mmdet'} <= set(NAMES)
    with pytest.raises(KeyError, match='registered: .*mmseg'):
        get_host('mmnothing')


@pytest.mark.parametrize('name', NAMES)
def test_adapter_facts(name):
    host = get_host(name)
    assert isinstance(host, BaseHost) and host.scope == name
    assert host.package and host.is_installed()
    module, cls = host.inferencer
    assert hasattr(importlib.import_module(module), cls)
    assert isinstance(
        build_enhancer(host.distill_loss), OutputDistillationLoss)
    for kind in ('datasets', 'metrics', 'models'):
        for cls_name, module in getattr(host, kind).items():
            assert hasattr(importlib.import_module(module), cls_name)
    h, w = host.export_verify_shape
    assert h > 0 and w > 0
    assert host.export_output_names(1) == [host.export_output]
    assert host.export_output_names(3) == ['output0', 'output1', 'output2']


def _enhanced(host: BaseHost) -> dict:
    model = host.test_model(copy.deepcopy(host.test_preprocessor))
    model['data_preprocessor'] = dict(
        type='mmllie.GlobalPixelwiseEnhancer',
        host=model['data_preprocessor'],
        enhancer=dict(type='GPLLIE'))
    return model


@pytest.mark.parametrize('name', NAMES)
def test_test_factory_runs_through_the_wrapper(name):
    """The host's tiny model and samples: the enhancer in front, the host
    adapter found from the host preprocessor, a prediction per image."""
    host = get_host(name)
    init_default_scope(name)
    model = ROOT_MODELS.build(ConfigDict(_enhanced(host))).eval()
    assert host_of(model) is not None and host_of(model).scope == name
    pre = model.data_preprocessor
    assert pre.host_adapter.scope == name
    items = [host.test_sample(32, 32, seed) for seed in range(2)]
    img, sample = items[0]
    assert img.dtype == torch.uint8 and img.shape == (3, 32, 32)
    assert sample.metainfo['img_shape'] == (32, 32)
    with torch.no_grad():
        preds = model.test_step(
            dict(
                inputs=[i for i, _ in items],
                data_samples=[s for _, s in items]))
    assert len(preds) == 2


# ---------------------------------------------------------------------------
# A new host is one adapter (plus its configs): an mmocr-like codebase.
TOY_PACKAGE = '''
import torch
import torch.nn as nn
from mmengine.model import BaseModel, ImgDataPreprocessor


class ToyTextPreprocessor(ImgDataPreprocessor):
    """The codebase's data preprocessor."""


class ToyTextRecognizer(BaseModel):
    """Text-line crops → per-column character logits (B, 5, W)."""

    def __init__(self, data_preprocessor=None):
        super().__init__(data_preprocessor=data_preprocessor)
        self.conv = nn.Conv2d(3, 5, 3, padding=1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        logits = self.conv(inputs).mean(2)
        if mode == 'loss':
            return dict(loss_ctc=logits.logsumexp(1).mean())
        return logits
'''


class ToyOCRHost(BaseHost):
    """Text crops are padded on the right by the dataset: the enhancer sees
    ``valid_width`` columns only."""
    scope = 'mmtoyocr'
    package = 'mmtoyocr'
    distill_loss = dict(type='mmllie.OutputDistillationLoss', kind='mse')
    export_output = 'char_logits'
    export_verify_shape = (32, 100)

    def valid_sizes(self, sizes, data_samples, hw):
        sizes = [(h, s.metainfo.get('valid_width', w))
                 for (h, w), s in zip(sizes, data_samples)]
        return super().valid_sizes(sizes, data_samples, hw)


@pytest.fixture
def toy_host(tmp_path, monkeypatch):
    (tmp_path / 'mmtoyocr').mkdir()
    (tmp_path / 'mmtoyocr' / '__init__.py').write_text('')
    (tmp_path / 'mmtoyocr' / 'models.py').write_text(
        textwrap.dedent(TOY_PACKAGE))
    monkeypatch.syspath_prepend(str(tmp_path))
    toy = importlib.import_module('mmtoyocr.models')
    for cls in (toy.ToyTextPreprocessor, toy.ToyTextRecognizer):
        ROOT_MODELS.register_module(module=cls)
    HOSTS.register_module(name='mmtoyocr', module=ToyOCRHost)
    try:
        yield toy
    finally:
        HOSTS._module_dict.pop('mmtoyocr')
        for name in ('ToyTextPreprocessor', 'ToyTextRecognizer'):
            ROOT_MODELS._module_dict.pop(name)
        for name in ('mmtoyocr', 'mmtoyocr.models'):
            sys.modules.pop(name, None)


def test_adding_a_host_is_one_adapter(toy_host):
    from mmengine.structures import BaseDataElement
    init_default_scope('mmengine')
    assert 'mmtoyocr' in all_host_names()
    recognizer = dict(
        type='ToyTextRecognizer',
        data_preprocessor=dict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=dict(
                type='ToyTextPreprocessor',
                mean=[127.5] * 3,
                std=[127.5] * 3,
                bgr_to_rgb=True),
            enhancer=dict(type='GPLLIE')))
    model = ROOT_MODELS.build(
        dict(type='mmllie.LabelFreeDistiller', recognizer=recognizer))
    pre = model.data_preprocessor
    # the wrapper and the distiller ask the adapter, nothing else
    assert isinstance(pre.host_adapter, ToyOCRHost)
    assert model.distill_loss.kind == 'mse'
    widths = []
    get_enhancer(model).register_forward_pre_hook(
        lambda m, args: widths.append(args[0].shape[-1]))
    g = torch.Generator().manual_seed(0)
    data = dict(
        inputs=[(torch.rand(3, 32, 100, generator=g) * 255).byte()] * 2,
        data_samples=[
            BaseDataElement(metainfo=dict(valid_width=w)) for w in (70, 100)
        ])
    model.train()
    batch = model.preprocess_train(data)
    assert widths == [70, 100]  # the adapter's size rule
    loss = model(**batch, mode='loss')['loss_distill']
    loss.backward()
    assert get_enhancer(model).gem.head.weight.grad is not None
    assert ToyOCRHost().export_output_names(1) == ['char_logits']


def test_modules_of_a_missing_host_say_what_to_install():

    class AbsentHost(BaseHost):
        scope = 'mmabsent'
        package = 'mmabsent-toolkit'
        datasets = dict(AbsentDataset='mmllie.datasets.absent')

    HOSTS.register_module(name='mmabsent', module=AbsentHost)
    try:
        registry = Registry('dataset')
        classes = import_host_modules(registry, 'datasets')
        assert 'NightCityDataset' in classes  # installed hosts: imported
        with pytest.raises(ImportError, match='pip install mmabsent-toolkit'):
            registry.build(dict(type='AbsentDataset'))
    finally:
        HOSTS._module_dict.pop('mmabsent')
