import math

import pytest
import torch

from mmllie.benchmarks.gain_flicker import measure_gain_flicker, night_sequence
from mmllie.models.enhancers import GPLLIE, SmoothedGainGPLLIE, gain_flicker


@pytest.fixture(scope='module')
def enhancer():
    torch.manual_seed(0)
    model = GPLLIE().eval()
    for p in model.parameters():
        if not p.any():  # a non-identity PAM and GEM correction
            p.data.normal_(0, 0.05)
    return model


def test_smoothing_reduces_flicker(enhancer):
    frames = night_sequence(num_frames=24, jump_at=12, size=(32, 48))
    result = measure_gain_flicker(enhancer, frames, (0, 5))
    raw, smooth = result[0], result[5]
    assert smooth['mean_abs_change'] < 0.6 * raw['mean_abs_change']
    assert smooth['max_abs_change'] < 0.5 * raw['max_abs_change']


def test_time_constant_zero_is_the_enhancer(enhancer):
    x = torch.rand(5, 3, 37, 53) * 0.1
    smoother = SmoothedGainGPLLIE(enhancer, time_constant=0)
    with torch.no_grad():
        torch.testing.assert_close(smoother(x), enhancer(x))


def test_ema_step_response_and_state(enhancer):
    """A step of the raw log-gain is covered 1 - e^-1 after tau frames,
    whatever the batch size; reset() forgets the past."""
    tau = 4.0
    smoother = SmoothedGainGPLLIE(enhancer, time_constant=tau)
    gains = torch.cat([torch.ones(1, 3), torch.full((8, 3), math.e)])
    one_call = smoother.smooth(gains)
    smoother.reset()
    chunks = torch.cat([smoother.smooth(g) for g in gains.split(3)])
    torch.testing.assert_close(one_call, chunks)
    assert one_call[0].log().abs().max() < 1e-6
    torch.testing.assert_close(one_call[int(tau)].log(),
                               torch.full((3, ), 1 - math.exp(-1)))
    smoother.reset()
    assert smoother.smooth(gains[-1:])[0].log().sub(1).abs().max() < 1e-6


def test_gain_flicker_values():
    gains = torch.tensor([[1., 1, 1], [2, 2, 2], [2, 2, 2]])
    assert gain_flicker(gains) == dict(mean_abs_change=0.5, max_abs_change=1.0)


def test_errors():
    with pytest.raises(TypeError, match='needs a GPLLIE with GEM'):
        SmoothedGainGPLLIE(GPLLIE(use_gem=False))
    with pytest.raises(ValueError, match='time_constant'):
        SmoothedGainGPLLIE(GPLLIE(), time_constant=-1)
