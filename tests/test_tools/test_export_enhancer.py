"""tools/model_converters/export_enhancer.py never loses the training
checkpoint and names a file it cannot read."""
import os.path as osp
import runpy
import sys

import pytest
import torch
from mmengine.runner import save_checkpoint

from mmllie.models.enhancers import GPLLIE

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'model_converters', 'export_enhancer.py')


def run_tool(*args: str) -> None:
    argv = sys.argv
    sys.argv = [TOOL, *map(str, args)]
    try:
        runpy.run_path(TOOL, run_name='__main__')
    finally:
        sys.argv = argv


@pytest.fixture
def training_checkpoint(tmp_path):
    path = tmp_path / 'iter_4.pth'
    state = {
        'data_preprocessor.enhancer.' + k: v
        for k, v in GPLLIE().state_dict().items()
    }
    state['backbone.conv.weight'] = torch.ones(8, 3, 3, 3)
    save_checkpoint(dict(meta=dict(iter=4), state_dict=state), str(path))
    return path


def test_output_that_is_the_input_is_refused(training_checkpoint, tmp_path):
    before = training_checkpoint.read_bytes()
    with pytest.raises(FileExistsError, match='is the input checkpoint'):
        run_tool(training_checkpoint, training_checkpoint, '--overwrite')
    # the same file by another path: a relative one through a link
    link = tmp_path / 'link'
    link.symlink_to(tmp_path)
    with pytest.raises(FileExistsError, match='is the input checkpoint'):
        run_tool(training_checkpoint, link / 'iter_4.pth', '--overwrite')
    assert training_checkpoint.read_bytes() == before
    run_tool(training_checkpoint, tmp_path / 'gpllie.pth')
    assert osp.getsize(tmp_path / 'gpllie.pth') < len(before)


def test_truncated_checkpoint_is_named(training_checkpoint, tmp_path):
    data = training_checkpoint.read_bytes()
    training_checkpoint.write_bytes(data[:len(data) // 2])
    with pytest.raises(
            ValueError,
            match=f"'{training_checkpoint}': not a "
            'PyTorch checkpoint .*truncated'):
        run_tool(training_checkpoint, tmp_path / 'gpllie.pth')
    assert not osp.exists(tmp_path / 'gpllie.pth')
