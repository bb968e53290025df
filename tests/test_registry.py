import importlib

import pytest
from mmengine.registry import DefaultScope

from mmllie import registry
from mmllie.utils import register_all_modules

REGISTRIES = [
    registry.MODELS, registry.MODEL_WRAPPERS, registry.DATASETS,
    registry.TRANSFORMS, registry.HOOKS, registry.METRICS
]


@pytest.mark.parametrize('reg', REGISTRIES, ids=lambda r: r.name)
def test_every_location_imports(reg):
    assert reg.parent is not None and reg.parent.name == reg.name
    for location in reg._locations:
        importlib.import_module(location)


@pytest.mark.parametrize('scope', ['mmseg', 'mmpose', 'mmpretrain', 'mmdet'])
@pytest.mark.parametrize('name', [
    'mmllie.GlobalPixelwiseEnhancer', 'mmllie.GPLLIE', 'mmllie.ZeroDCE',
    'mmllie.IALM'
])
def test_resolves_from_host_scopes(scope, name):
    from mmengine.registry import MODELS
    with DefaultScope.overwrite_default_scope(scope):
        assert MODELS.get(name) is registry.MODELS.get(name.split('.')[1])


def test_register_all_modules():
    register_all_modules(init_default_scope=False)
    for name in ('NightCityDataset', 'ExLPoseDataset', 'ExDarkDataset'):
        assert name in registry.DATASETS.module_dict
    assert 'LowLightSynthesis' in registry.TRANSFORMS.module_dict
    assert 'FreezeRecognizerHook' in registry.HOOKS.module_dict
