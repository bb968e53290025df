"""tools/test.py's refusal of a checkpoint that does not fit."""
import pytest
import torch
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import save_checkpoint

from mmllie.apis import export_enhancer  # noqa: F401
from mmllie.checkpoint.keys import (check_checkpoint_matches,
                                    checkpoint_mismatch)
from mmllie.testing.hosts import HOSTS, MODEL_FNS, recognizer_checkpoint


def _model(enhancer):
    init_default_scope('mmseg')
    return MODELS.build(MODEL_FNS['mmseg'](dict(
        type='mmllie.GlobalPixelwiseEnhancer',
        host=HOSTS['mmseg'],
        enhancer=enhancer)))


def test_recognizer_checkpoint_for_a_model_with_enhancer(tmp_path):
    ckpt, _ = recognizer_checkpoint('mmseg', tmp_path)
    bad = checkpoint_mismatch(_model(dict(type='GPLLIE')), ckpt)
    assert bad['missing'] and all(
        k.startswith('data_preprocessor.enhancer.') for k in bad['missing'])
    assert not bad['unexpected'] and not bad['shape']
    with pytest.raises(KeyError, match=r'\d+ missing \(data_preprocessor'):
        check_checkpoint_matches(_model(dict(type='GPLLIE')), ckpt)
    check_checkpoint_matches(_model(None), ckpt)  # no enhancer: matches


def test_pretrained_enhancer_keeps_its_own_weights(tmp_path):
    ckpt, _ = recognizer_checkpoint('mmseg', tmp_path)
    from mmllie.models.enhancers import GPLLIE
    enhancer = str(tmp_path / 'enhancer.pth')
    save_checkpoint(
        dict(
            state_dict=GPLLIE().state_dict(),
            meta=dict(enhancer_cfg=dict(type='GPLLIE'))), enhancer)
    model = _model(
        dict(
            type='PretrainedEnhancer',
            checkpoint=enhancer,
            enhancer=dict(type='GPLLIE')))
    check_checkpoint_matches(model, ckpt)


def test_other_architecture_and_shapes_named(tmp_path):
    other, _ = recognizer_checkpoint('mmpretrain', tmp_path)
    bad = checkpoint_mismatch(_model(None), other)
    assert bad['missing'] and bad['unexpected']
    model = _model(None)
    sd = model.state_dict()
    key = next(k for k, v in sd.items() if v.dim() == 4)
    sd[key] = torch.zeros(1, 1, 1, 1)
    path = str(tmp_path / 'shape.pth')
    save_checkpoint(dict(state_dict=sd), path)
    with pytest.raises(KeyError, match=f'1 shape \\({key}: '):
        check_checkpoint_matches(model, path)
