"""No text or type taken from a checkpoint is ever executed."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import save_checkpoint

from mmllie.apis import export_enhancer, load_enhancer
from mmllie.checkpoint.literal_cfg import (UnsafeConfigError,
                                           enhancer_cfg_from_text)

ENHANCER = dict(type='GPLLIE', use_pam=False, gem=dict(init_gain=3.0))


def _model(enhancer):
    return dict(
        type='EncoderDecoder',
        data_preprocessor=dict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=dict(type='SegDataPreProcessor', mean=[1, -2.5, 3]),
            enhancer=enhancer))


def _checkpoint(path, meta):
    save_checkpoint(
        dict(
            state_dict={'data_preprocessor.enhancer.w': torch.ones(1)},
            meta=meta), str(path))
    return str(path)


def test_enhancer_cfg_read_from_mmengine_text():
    text = Config(dict(model=_model(ENHANCER))).pretty_text
    assert enhancer_cfg_from_text(text) == ENHANCER
    zero_dce = Config(dict(model=dict(enhancer=dict(type='ZeroDCE'))))
    assert enhancer_cfg_from_text(zero_dce.pretty_text) == dict(type='ZeroDCE')


@pytest.mark.parametrize('payload', [
    "__import__('os').system('touch {mark}')\nmodel = dict()",
    "model = dict(data_preprocessor=dict(type='GlobalPixelwiseEnhancer', "
    "enhancer=dict(type=__import__('os').system('touch {mark}'))))",
])
def test_code_in_meta_cfg_is_never_run(tmp_path, payload):
    mark = tmp_path / 'pwned'
    ckpt = _checkpoint(tmp_path / 'evil.pth',
                       dict(cfg=payload.format(mark=mark)))
    try:
        export_enhancer(ckpt, str(tmp_path / 'out.pth'))
    except UnsafeConfigError as e:
        assert 'is not a plain literal' in str(e) and ckpt in str(e)
    except ValueError as e:  # read as no config: the weights fit no default
        assert 'stores no enhancer config' in str(e) and ckpt in str(e)
    assert not mark.exists()


def test_stored_type_must_be_a_registered_enhancer(tmp_path):
    mark = tmp_path / 'pwned'
    evil = dict(type='os.system', command=f'touch {mark}')
    ckpt = _checkpoint(tmp_path / 'evil.pth', dict(enhancer_cfg=evil))
    with pytest.raises(
            UnsafeConfigError, match="'os.system' is not an enhancer"):
        export_enhancer(ckpt, str(tmp_path / 'out.pth'))
    with pytest.raises(
            UnsafeConfigError, match="'os.system' is not an enhancer"):
        load_enhancer(ckpt)
    assert not mark.exists()


def test_training_checkpoint_stores_enhancer_cfg_as_data(tmp_path):
    from mmllie.testing.hosts import build_runner
    runner = build_runner(
        'mmseg',
        tmp_path,
        max_iters=1,
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=1,
                            by_epoch=False)))
    runner.train()
    meta = torch.load(osp.join(tmp_path, 'iter_1.pth'))['meta']
    assert meta['enhancer_cfg'] == dict(type='GPLLIE')
