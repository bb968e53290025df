"""init_cpu_dist: a no-op unless a CPU-only ``--launcher pytorch`` job has
no process group yet; then a gloo group (nccl asked for is replaced)."""
import socket

import pytest
import torch
import torch.distributed as dist

from mmllie.utils.cpu_dist import init_cpu_dist


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_no_launcher_is_a_no_op():
    assert init_cpu_dist('none', dict(backend='nccl')) is False
    assert not dist.is_initialized()


@pytest.mark.skipif(torch.cuda.is_available(), reason='CPU-only path')
def test_single_process_group_on_gloo(monkeypatch):
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', str(_free_port()))
    monkeypatch.setenv('RANK', '0')
    monkeypatch.setenv('WORLD_SIZE', '1')
    try:
        assert init_cpu_dist('pytorch', dict(backend='nccl', timeout=60))
        assert dist.get_backend() == 'gloo' and dist.get_world_size() == 1
        assert init_cpu_dist('pytorch', {}) is False  # exists already
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
