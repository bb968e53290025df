"""PretrainedEnhancer reads its checkpoint when used, not when built."""
import pytest
import torch
from mmengine.runner import save_checkpoint

from mmllie.models.enhancers import PretrainedEnhancer, ZeroDCE


def _export(path, enhancer, enhancer_type='ZeroDCE'):
    save_checkpoint(
        dict(
            state_dict=enhancer.state_dict(),
            meta=dict(enhancer_cfg=dict(type=enhancer_type))), str(path))


def test_builds_without_the_file_and_names_it_when_used(tmp_path):
    missing = str(tmp_path / 'not_exported_yet.pth')
    model = PretrainedEnhancer(missing, enhancer=dict(type='ZeroDCE'))
    assert isinstance(model.enhancer, ZeroDCE)
    with pytest.raises(FileNotFoundError, match='not_exported_yet.pth'):
        model(torch.rand(1, 3, 16, 16))
    with pytest.raises(FileNotFoundError, match='export_enhancer.py'):
        model.init_weights()


@torch.no_grad()
def test_loads_at_first_forward_after_other_weights(tmp_path):
    torch.manual_seed(0)
    trained = ZeroDCE()
    for p in trained.parameters():
        p.add_(torch.randn_like(p))
    _export(tmp_path / 'zero_dce.pth', trained)
    model = PretrainedEnhancer(
        str(tmp_path / 'zero_dce.pth'), enhancer=dict(type='ZeroDCE'))
    # what the Runner's load_from would do: other weights, then test
    for p in model.parameters():
        p.zero_()
    x = torch.rand(1, 3, 16, 16)
    assert torch.equal(model(x), trained(x))
    for key, value in trained.state_dict().items():
        assert torch.equal(model.enhancer.state_dict()[key], value), key


def test_wrong_enhancer_type(tmp_path):
    _export(tmp_path / 'gpllie.pth', ZeroDCE(), enhancer_type='GPLLIE')
    model = PretrainedEnhancer(
        str(tmp_path / 'gpllie.pth'), enhancer=dict(type='ZeroDCE'))
    with pytest.raises(KeyError, match='holds a GPLLIE enhancer'):
        model.init_weights()
