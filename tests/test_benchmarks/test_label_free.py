"""The two no-night-label benchmark trainers, 2 iterations each."""
import os.path as osp

import pytest
import torch
from mmengine.runner.checkpoint import _load_checkpoint

from mmllie.benchmarks.label_free import TRAINERS
from mmllie.benchmarks.synthetic_night import RECOGNIZER
from mmllie.datasets import generate_synthetic_city
from mmllie.datasets.nightcity_convert import convert_nightcity_labels
from mmllie.datasets.synthetic_city import darken_dataset
from mmllie.testing.tools import ENHANCER, recognizer_part


@pytest.fixture(scope='module')
def roots(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('label_free_bench')
    roots = dict(day=str(tmp / 'day'), hard=str(tmp / 'night-hard'))
    generate_synthetic_city(
        roots['day'], 4, 2, (64, 128), seed=0, show_progress=False)
    darken_dataset(roots['day'], roots['hard'], 'hard', show_progress=False)
    for root in roots.values():
        convert_nightcity_labels(osp.join(root, 'NightCity-label', 'label'))
    return roots


@pytest.mark.parametrize('name', sorted(TRAINERS))
def test_trainer(name, roots, tmp_path):
    recognizer = RECOGNIZER
    ckpt = TRAINERS[name](name, str(tmp_path), roots, 'hard', recognizer, 2, 0)
    state = _load_checkpoint(ckpt)['state_dict']
    day = _load_checkpoint(recognizer)['state_dict']
    assert set(recognizer_part(state)) == set(day)
    for key, value in day.items():  # frozen, and the plain config's keys
        assert torch.equal(state[key], value), key
    assert state[ENHANCER + 'gem.head.weight'].abs().sum() > 0
