"""Which state the guard keeps, on known means."""
import pytest

from mmllie.engine.hooks.enhancer_guard_hook import choose_state


@pytest.mark.parametrize(
    'none,start,trained,kept',
    [
        (10., 12., 15., 'trained'),  # the usual run
        (10., 10., 10., 'trained'),  # ties keep what was trained
        (10., 12., 11., 'starting state'),  # diverged from a better start
        (10., 9., 9.5, 'no enhancer'),  # better than its start, below none
        (10., 9., 8., 'no enhancer'),  # both below no enhancer
        (10., 10., 9., 'starting state'),  # an identity start ties none
        (10., 12., 10.5, 'starting state'),
    ])
def test_choose_state(none, start, trained, kept):
    values = {'no enhancer': none, 'starting state': start, 'trained': trained}
    assert choose_state(values) == kept
