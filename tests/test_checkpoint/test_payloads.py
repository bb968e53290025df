"""A checkpoint may name only enhancer classes: a stored config that names
any other type, at any depth, is refused before anything is built, by every
API that builds from checkpoint metadata."""
import pytest
import torch
from mmengine.runner import save_checkpoint

from mmllie.apis import export_enhancer, load_enhancer, stored_enhancer_cfg
from mmllie.checkpoint.literal_cfg import UnsafeConfigError
from mmllie.checkpoint.stored_cfg import (CHECKPOINT_ENHANCER_TYPES,
                                          check_enhancer_types)
from mmllie.registry import MODELS
from mmllie.testing.tools import run_tool

WEIGHTS = {'data_preprocessor.enhancer.w': torch.ones(1)}


def payload(mark) -> dict:
    """Runs ``touch mark`` if built (``os.system(command=...)``)."""
    return dict(
        type='mmllie.TorchModuleBackbone',
        network='os:system',
        kwargs=dict(command=f'touch {mark}'))


def variants(mark) -> list:
    """The payload at the top, inside an enhancer, a sub-dict, a list."""
    evil = payload(mark)
    return [
        evil,
        dict(type='SmoothedGainGPLLIE', enhancer=evil),
        dict(type='GPLLIE', gem=dict(extra=[evil])),
        dict(type='mmllie.GPLLIE', pam=dict(deep=(1, dict(x=evil)))),
        dict(type='PretrainedEnhancer', checkpoint='x.pth', enhancer={}),
    ]


def cfg_text(enhancer: dict) -> str:
    """MMEngine-style config text holding ``enhancer`` as literals."""
    return ('model = dict(type="EncoderDecoder", data_preprocessor=dict('
            f'type="mmllie.GlobalPixelwiseEnhancer", enhancer={enhancer!r}))')


def save(path, meta, state=None) -> str:
    save_checkpoint(dict(state_dict=state or WEIGHTS, meta=meta), str(path))
    return str(path)


def metas(mark):
    """(id, meta) pairs: each variant as data and as config text."""
    out = []
    for i, v in enumerate(variants(mark)):
        out += [(f'enhancer_cfg-{i}', dict(enhancer_cfg=v)),
                (f'cfg-text-{i}', dict(cfg=cfg_text(v)))]
    return out


def test_allowed_types_are_enhancers_that_import_nothing():
    MODELS.import_from_location()
    enhancers = {
        name
        for name, cls in MODELS.module_dict.items()
        if cls.__module__.startswith('mmllie.models.enhancers.')
    }
    # every enhancer class but those that read files or train themselves:
    # a new enhancer is added to the list on purpose, after review
    assert CHECKPOINT_ENHANCER_TYPES == enhancers - {
        'PretrainedEnhancer', 'ZeroDCEUnsupervised', 'DenoiserPretrainer'
    }
    for refused in ('TorchModuleBackbone', 'PretrainedEnhancer',
                    'GlobalPixelwiseEnhancer', 'LabelFreeDistiller'):
        assert refused not in CHECKPOINT_ENHANCER_TYPES
    check_enhancer_types(
        dict(
            type='SmoothedGainGPLLIE',
            enhancer=dict(type='mmllie.GPLLIE', gem=dict(init_gain=2.0))),
        'ok')
    for bad in ('os.system', 1, None, ['GPLLIE']):
        with pytest.raises(UnsafeConfigError, match='nothing was built'):
            check_enhancer_types(dict(type=bad), 'x.pth')


@pytest.mark.parametrize('index', range(10))
def test_every_api_refuses_payload_before_building(tmp_path, index):
    """``meta['enhancer_cfg']`` is read by every loader; the config text
    ``meta['cfg']`` only by the export of a training checkpoint (an
    enhancer-only checkpoint's text is never read)."""
    mark = tmp_path / 'PWNED'
    name, meta = metas(mark)[index]
    training = save(tmp_path / 'train.pth', meta)
    only = save(tmp_path / 'only.pth', meta, {'gem.w': torch.ones(1)})
    calls = [lambda: export_enhancer(training, str(tmp_path / 'out.pth'))]
    if 'enhancer_cfg' in meta:
        calls += [
            lambda: load_enhancer(only),
            lambda: load_enhancer(only, dict(type='GPLLIE')),
            lambda: stored_enhancer_cfg(only),
        ]
    else:
        assert stored_enhancer_cfg(only) == dict(type='GPLLIE')
    for call in calls:
        with pytest.raises(UnsafeConfigError) as err:
            call()
        assert 'train.pth' in str(err.value) or 'only.pth' in str(err.value)
        assert 'is not an enhancer a checkpoint may name' in str(err.value)
    assert not mark.exists(), name
    assert not (tmp_path / 'out.pth').exists()


@pytest.mark.parametrize('index', [0, 2, 4, 6])
def test_every_tool_refuses_payload_before_building(tmp_path, index):
    """tools that read enhancer configs out of checkpoints: enhance,
    export_enhancer, export_onnx, compare_enhancers, gain_flicker."""
    mark = tmp_path / 'PWNED'
    _, meta = metas(mark)[index]
    training = save(tmp_path / 'train.pth', meta)
    only = save(tmp_path / 'only.pth', meta, {'gem.w': torch.ones(1)})
    recognizer = save(tmp_path / 'rec.pth', {}, {'backbone.w': torch.ones(1)})
    config = tmp_path / 'cfg.py'
    config.write_text("model = dict(type='EncoderDecoder', data_preprocessor="
                      "dict(type='mmllie.GlobalPixelwiseEnhancer', "
                      f"enhancer=dict(type='GPLLIE')))\nload_from = "
                      f'{recognizer!r}\n')
    images = tmp_path / 'images'
    images.mkdir()
    runs = [
        ('tools/enhance.py', only, images, tmp_path / 'enhanced'),
        ('tools/model_converters/export_enhancer.py', training,
         tmp_path / 'out.pth'),
        ('tools/deployment/export_onnx.py', '--checkpoint', only, '--out',
         tmp_path / 'x.onnx'),
        ('tools/analysis_tools/gain_flicker.py', '--checkpoint', only),
        ('tools/analysis_tools/compare_enhancers.py', config, training,
         '--out-dir', tmp_path / 'compare'),
        ('tools/analysis_tools/compare_enhancers.py', config, only,
         '--out-dir', tmp_path / 'compare2'),
    ]
    for tool, *args in runs:
        with pytest.raises(UnsafeConfigError, match='may name'):
            run_tool(tool, *args, in_process=True)
    assert not mark.exists()
    assert not (tmp_path / 'out.pth').exists()
    assert not (tmp_path / 'x.onnx').exists()
