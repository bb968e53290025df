"""mmllie.testing.inference: a case is a config, a checkpoint holding the
enhancer and the recognizer, and an image, as a user would have them."""
import os.path as osp

import torch
from mmengine.config import Config

from mmllie.testing.inference import SCOPES, make_case


def test_classification_case(tmp_path):
    case = make_case('mmpretrain', str(tmp_path))
    assert set(case) == {'config', 'checkpoint', 'image', 'results'}
    assert osp.isfile(case['image'])
    cfg = Config.fromfile(case['config'])
    assert cfg.model.data_preprocessor.type == \
        'mmllie.GlobalPixelwiseEnhancer'
    assert cfg.test_evaluator[0]['out_file_path'] == case['results']
    state = torch.load(case['checkpoint'], map_location='cpu')
    keys = state['state_dict']
    assert any(k.startswith('data_preprocessor.enhancer.') for k in keys)
    assert any(k.startswith('backbone.') for k in keys)
    # no all-zero enhancer weight: the case's enhancer is not the identity
    enhancer = {
        k: v
        for k, v in keys.items() if k.startswith('data_preprocessor.enhancer.')
        and 'running_' not in k and v.is_floating_point()
    }
    assert enhancer and all(v.any() for v in enhancer.values())
    assert state['meta']['dataset_meta']['classes'] == ('bike', 'car', 'dog')
    assert set(SCOPES) == {'mmseg', 'mmpose', 'mmpretrain', 'mmdet'}
