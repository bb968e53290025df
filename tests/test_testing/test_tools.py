"""mmllie.testing.tools: scripts found as the docs name them, run in process
(fast) with their arguments; a failing subprocess names its output; a free
port and a checkpoint's weights for the tools' tests."""
import os.path as osp
import socket
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from mmllie.testing.nightcity import GT, make_nightcity
from mmllie.testing.tools import (CHECKOUT, ENHANCER, GLOO_ABORT,
                                  ZERO_INIT_OUTPUTS, assert_recognizer_frozen,
                                  checkpoint_state, free_port, run_tool,
                                  script_path)


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


def test_free_port_can_be_bound():
    port = int(free_port())
    with socket.socket() as s:
        s.bind(('127.0.0.1', port))


def test_checkpoint_state_filters_by_prefix(tmp_path):
    path = str(tmp_path / 'ckpt.pth')
    torch.save(
        dict(
            state_dict={
                'enhancer.w': torch.ones(2),
                'backbone.w': torch.zeros(1)
            },
            meta={}), path)
    assert list(checkpoint_state(path, 'enhancer.')) == ['enhancer.w']
    assert sorted(checkpoint_state(path)) == ['backbone.w', 'enhancer.w']


def test_shell_scripts_run_in_a_subprocess():
    with pytest.raises(ValueError, match='dist_train.sh: a shell script'):
        run_tool('tools/dist_train.sh', 'cfg.py', 2, in_process=True)


def test_only_the_gloo_abort_of_a_shell_script_is_run_again(tmp_path):
    marker = tmp_path / 'ran'
    flaky = tmp_path / 'flaky.sh'
    # first run: the gloo abort; second: success on another port
    flaky.write_text(f'if [ -e {marker} ]; then echo "second $PORT"; exit 0; '
                     f'fi\ntouch {marker}; echo "{GLOO_ABORT} $PORT"; '
                     'exit 134\n')
    out = run_tool(str(flaky))
    assert out.startswith('second ')
    failing = tmp_path / 'failing.sh'
    failing.write_text(f'echo {GLOO_ABORT}; echo run >> {tmp_path}/n; '
                       'exit 1\n')
    with pytest.raises(AssertionError, match='exited with 1'):
        run_tool(str(failing))
    assert (tmp_path / 'n').read_text().count('run') == 2  # once more only
    other = tmp_path / 'other.sh'
    other.write_text(f'echo run >> {tmp_path}/m; exit 1\n')
    run_tool(str(other), ok=False)
    with pytest.raises(AssertionError):
        run_tool(str(other))
    assert (tmp_path / 'm').read_text().count('run') == 2  # never retried


def test_a_run_again_starts_from_an_empty_work_dir(tmp_path):
    work_dir = tmp_path / 'work'
    # like tools/train.py: refuses a work dir that holds a checkpoint
    train = tmp_path / 'train.sh'
    train.write_text(
        'if [ -e "$2/iter_1.pth" ]; then echo exists; exit 1; fi\n'
        'mkdir -p "$2"; touch "$2/iter_1.pth"\n'
        f'if [ ! -e "$2.aborted" ]; then echo "{GLOO_ABORT}"; exit 134; fi\n'
        'echo done\n')
    assert run_tool(str(train), '--work-dir', work_dir).strip() == 'done'
    assert (work_dir / 'iter_1.pth').exists()
    assert (tmp_path / 'work.aborted' / 'iter_1.pth').exists()


def test_assert_recognizer_frozen_names_what_differs(tmp_path):
    recognizer = {'backbone.w': torch.ones(2)}
    enhancer = {ENHANCER + k: torch.ones(1) for k in ZERO_INIT_OUTPUTS}
    trained = str(tmp_path / 'iter_1.pth')
    torch.save(dict(state_dict={**recognizer, **enhancer}), trained)
    state = assert_recognizer_frozen(trained, recognizer)
    assert set(state) == set(recognizer) | set(enhancer)
    with pytest.raises(AssertionError, match=r'recognizer changed.*backbone'):
        assert_recognizer_frozen(trained, {'backbone.w': torch.zeros(2)})
    with pytest.raises(AssertionError, match='recognizer keys differ'):
        assert_recognizer_frozen(trained, {})
    torch.save(
        dict(state_dict={
            **recognizer, ENHANCER + 'gem.head.weight': torch.zeros(1)
        }), trained)
    with pytest.raises(AssertionError, match='still zero.*gem.head.weight'):
        assert_recognizer_frozen(trained, recognizer, ['gem.head.weight'])
