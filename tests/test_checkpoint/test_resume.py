"""The newest readable checkpoint of a work dir."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import save_checkpoint

from mmllie.checkpoint.resume import (apply_resume, check_load_from,
                                      find_resumable_checkpoint)


def _ckpt(path, it):
    save_checkpoint(
        dict(meta=dict(iter=it), state_dict={'w': torch.ones(2) * it}),
        str(path))
    return str(path)


def test_missing_pointer_and_truncated_newest(tmp_path):
    for it in (1, 2, 10):
        _ckpt(tmp_path / f'iter_{it}.pth', it)
    newest = str(tmp_path / 'iter_10.pth')
    with open(newest, 'r+b') as f:
        f.truncate(100)
    path, skipped = find_resumable_checkpoint(str(tmp_path))
    assert path == str(tmp_path / 'iter_2.pth')  # numeric, not by name
    assert [p for p, _ in skipped] == [newest]
    assert 'truncated' in skipped[0][1]


def test_new_run_over_a_runs_checkpoints_is_refused(tmp_path):
    _ckpt(tmp_path / 'iter_4.pth', 4)
    cfg = Config(dict(work_dir=str(tmp_path)))
    with pytest.raises(FileExistsError, match='iter_4.pth.*--resume'):
        apply_resume(cfg, None)
    apply_resume(cfg, 'auto')
    assert cfg.resume and cfg.load_from == str(tmp_path / 'iter_4.pth')
    first = Config(dict(work_dir=str(tmp_path / 'new'), load_from=None))
    apply_resume(first, 'auto')  # a first run: nothing to resume
    assert not first.resume


@pytest.mark.parametrize('content', [b'0,1,2\n', b'', b'\x89PNG\r\n'])
def test_load_from_that_is_no_checkpoint(tmp_path, content):
    path = tmp_path / 'model.pth'
    path.write_bytes(content)
    with pytest.raises(
            ValueError, match=f"load_from='{path}': not a "
            'PyTorch checkpoint'):
        check_load_from(str(path))
    check_load_from(_ckpt(tmp_path / 'ok.pth', 1))
    with pytest.raises(ValueError, match='no such file'):
        check_load_from(osp.join(str(tmp_path), 'missing.pth'))
