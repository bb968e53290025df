import pytest
import torch

from mmllie.models.enhancers import BaseEnhancerTrainer


class _Brightness(BaseEnhancerTrainer):

    def loss(self, inputs):
        return dict(loss_mean=(self.enhancer(inputs).mean() - 0.5).pow(2))


def _trainer():
    return _Brightness(dict(type='mmllie.FixedGainGamma', gain=2.0, gamma=1.0))


def test_the_modes_run_the_enhancer_and_the_subclass_loss():
    model = _trainer()
    x = torch.full((2, 3, 4, 5), 0.1)
    assert torch.allclose(model(x), torch.full_like(x, 0.2))
    predictions = model(x, mode='predict')
    assert len(predictions) == 2 and predictions[0].shape == (3, 4, 5)
    loss = model(x, mode='loss')['loss_mean']
    assert torch.isclose(loss, torch.tensor(0.09))


def test_an_unknown_mode_names_the_subclass():
    with pytest.raises(ValueError, match='_Brightness: mode must be'):
        _trainer()(torch.rand(1, 3, 4, 4), mode='train')


def test_the_default_preprocessor_gives_rgb_in_0_1():
    model = _trainer()
    bgr = torch.zeros(3, 2, 2, dtype=torch.uint8)
    bgr[0] = 255  # blue
    out = model.data_preprocessor(dict(inputs=[bgr]))['inputs']
    assert out.dtype == torch.float32
    assert out[0, 2].eq(1).all() and out[0, :2].eq(0).all()


def test_a_loss_is_required():
    with pytest.raises(TypeError):
        BaseEnhancerTrainer(dict(type='mmllie.FixedGainGamma'))
