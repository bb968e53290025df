"""FreezeRecognizerHook before training: the recognizer's weights must be
loaded, the host preprocessor must be the recognizer's library's, and
joint training (``train_recognizer=True``) is said once, with a count."""
import logging

import pytest
import torch
from mmengine.logging import MMLogger
from mmengine.registry import MODELS, init_default_scope

from mmllie.models import get_enhancer
from mmllie.models.host_pairing import check_host_pairing
from mmllie.testing.hosts import HOSTS, build_runner, recognizer_checkpoint
from mmllie.testing.tools import recognizer_part


class _Capture(logging.Handler):

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _train(runner) -> list:
    capture = _Capture()
    MMLogger.get_current_instance().addHandler(capture)
    try:
        runner.train()
    finally:
        MMLogger.get_current_instance().removeHandler(capture)
    return capture.lines


def test_load_from_of_another_model_is_refused(tmp_path):
    other, _ = recognizer_checkpoint('mmpretrain', tmp_path)
    runner = build_runner('mmseg', tmp_path / 'a', load_from=other)
    total = len(recognizer_part(runner.model.state_dict()))
    with pytest.raises(
            RuntimeError,
            match=rf"load_from='{other}' does not fit the recognizer "
            r'\(EncoderDecoder\): \d+ missing .*\d+ unexpected .* of '
            rf'its {total} weight tensors.*--partial-load'):
        runner.train()
    assert runner.iter == 0


def test_no_weights_at_all_is_refused_unless_partial(tmp_path):
    runner = build_runner(
        'mmseg',
        tmp_path / 'a',
        custom_hooks=[dict(type='mmllie.FreezeRecognizerHook')])
    with pytest.raises(
            RuntimeError,
            match='no load_from and no init_cfg of type Pretrained: all '
            r'\d+ recognizer weight tensors would be random'):
        runner.train()
    runner = build_runner(
        'mmseg',
        tmp_path / 'b',
        max_iters=1,
        custom_hooks=[
            dict(type='mmllie.FreezeRecognizerHook', partial_load=True)
        ])
    lines = _train(runner)
    assert any('partial_load=True: training anyway' in m for m in lines)


def test_matching_load_from_trains_silently(tmp_path):
    ckpt, _ = recognizer_checkpoint('mmseg', tmp_path)
    runner = build_runner('mmseg', tmp_path / 'a', max_iters=1, load_from=ckpt)
    lines = _train(runner)
    assert not any('does not fit' in m for m in lines)


def test_joint_training_is_said_once_with_a_count(tmp_path):
    ckpt, before = recognizer_checkpoint('mmseg', tmp_path)
    runner = build_runner('mmseg', tmp_path / 'a', max_iters=2, load_from=ckpt)
    pre = runner.model.data_preprocessor
    pre.train_recognizer = True
    enhancer = {id(p) for p in get_enhancer(runner.model).parameters()}
    params = [p for p in runner.model.parameters() if id(p) not in enhancer]
    lines = _train(runner)
    said = [m for m in lines if 'will be TRAINED' in m]
    assert len(said) == 1
    assert (f'{sum(p.numel() for p in params):,} recognizer parameters '
            f'({len(params)} tensors) will be TRAINED') in said[0]
    assert not any('train_recognizer=True: the recognizer trains' in m
                   for m in lines)  # the wrapper does not say it again
    after = runner.model.state_dict()
    assert any(not torch.equal(after[k], v) for k, v in before.items()
               if v.is_floating_point())  # the recognizer did train


def test_joint_training_without_the_hook_warns_once(tmp_path):
    ckpt, _ = recognizer_checkpoint('mmseg', tmp_path)
    runner = build_runner(
        'mmseg', tmp_path / 'a', max_iters=2, load_from=ckpt, custom_hooks=[])
    runner.model.data_preprocessor.train_recognizer = True
    lines = _train(runner)
    assert sum('train_recognizer=True: the recognizer trains' in m
               for m in lines) == 1


def test_host_of_another_library_is_refused(tmp_path):
    init_default_scope('mmpretrain')
    from mmllie.hosts import get_host
    model = MODELS.build(
        get_host('mmpretrain').test_model(
            dict(
                type='mmllie.GlobalPixelwiseEnhancer',
                host=dict(HOSTS['mmseg'], type='mmseg.SegDataPreProcessor'))))
    with pytest.raises(
            TypeError,
            match='host data preprocessor SegDataPreProcessor is from mmseg,'
            ' but the recognizer ImageClassifier is a mmpretrain model'):
        check_host_pairing(model)
    check_host_pairing(
        MODELS.build(
            get_host('mmpretrain').test_model(
                dict(
                    type='mmllie.GlobalPixelwiseEnhancer',
                    host=HOSTS['mmpretrain']))))
