"""mmllie.testing.tools: scripts found as the docs name them, run in process
(fast) with their arguments; a failing subprocess names its output."""
import os.path as osp
import sys

import numpy as np
import pytest
from PIL import Image

from mmllie.testing.nightcity import GT, make_nightcity
from mmllie.testing.tools import CHECKOUT, run_tool, script_path


def test_script_path_finds_tools_and_demos():
    train = script_path('tools/train.py')
    assert osp.isfile(train) and train.endswith(osp.join('tools', 'train.py'))
    assert osp.isfile(script_path('demo/image_demo.py'))
    assert osp.isdir(osp.join(CHECKOUT, 'configs'))
    with pytest.raises(FileNotFoundError, match='no_such_tool.py'):
        script_path('tools/no_such_tool.py')


def test_in_process_run_converts_labels(tmp_path, monkeypatch):
    root = str(tmp_path / 'NightCity')
    labels = make_nightcity(root, splits=(('val', 1), ))
    argv = list(sys.argv)
    assert run_tool(
        'tools/dataset_converters/nightcity.py', root, in_process=True) == ''
    assert sys.argv == argv  # restored
    ids = next(iter(labels))
    train_ids = np.asarray(
        Image.open(ids.replace('_labelIds.png', '_trainIds.png')))
    assert train_ids.shape == labels[ids].shape
    assert set(np.unique(train_ids)) <= set(range(19)) | {255}
    assert osp.isdir(osp.join(root, GT))


def test_in_process_errors_propagate(tmp_path):
    with pytest.raises(SystemExit):
        run_tool(
            'tools/dataset_converters/nightcity.py',
            str(tmp_path / 'missing'),
            in_process=True)
