import pytest
from mmengine.runner import save_checkpoint

from mmllie.apis import load_enhancer
from mmllie.models.enhancers import ZeroDCE


def test_checkpoint_of_another_enhancer_type(tmp_path):
    path = str(tmp_path / 'zero_dce.pth')
    save_checkpoint(
        dict(
            state_dict=ZeroDCE().state_dict(),
            meta=dict(enhancer_cfg=dict(type='ZeroDCE'))), path)
    assert isinstance(load_enhancer(path), ZeroDCE)
    assert isinstance(
        load_enhancer(path, dict(type='mmllie.ZeroDCE')), ZeroDCE)
    with pytest.raises(
            TypeError,
            match='holds a ZeroDCE enhancer, not the '
            'requested GPLLIE'):
        load_enhancer(path, dict(type='GPLLIE'))
