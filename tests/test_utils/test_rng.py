"""A module's own random stream survives a checkpoint round trip."""
import torch

from mmllie.models.darkening import BatchLowLightSynthesis
from mmllie.utils.rng import collect_rng_states, restore_rng_states


def test_darkening_continues_after_restore():
    x = torch.rand(2, 3, 8, 8)
    torch.manual_seed(0)
    first = BatchLowLightSynthesis(level='hard')
    first(x)
    states = collect_rng_states(torch.nn.ModuleDict(dict(dark=first)))
    want = first(x)
    torch.manual_seed(123)  # a resumed process: another global state
    second = BatchLowLightSynthesis(level='hard')
    model = torch.nn.ModuleDict(dict(dark=second))
    assert restore_rng_states(model, states) == []
    assert torch.equal(second(x), want)
    # without the state the resumed run would draw other numbers
    assert not torch.equal(BatchLowLightSynthesis(level='hard')(x), want)


def test_nothing_drawn_nothing_saved_unknown_named():
    model = torch.nn.ModuleDict(dict(dark=BatchLowLightSynthesis()))
    assert collect_rng_states(model) == {}
    state = dict(device='cpu', state=torch.Generator().get_state())
    assert restore_rng_states(model, dict(other=state)) == ['other']
