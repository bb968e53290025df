"""tools/model_converters/zero_dce_official.py on a state dict written in
the official Zero-DCE layout (e_conv1 ... e_conv7)."""
from functools import partial

import pytest
import torch
import torch.nn as nn

from mmllie.apis import load_enhancer
from mmllie.models.enhancers import ZeroDCE
from mmllie.testing.tools import run_tool


class EnhanceNetNoPool(nn.Module):
    """The official ``Zero-DCE_code/model.py`` network, as published."""

    def __init__(self):
        super().__init__()
        self.relu = nn.ReLU(inplace=True)
        n = 32
        self.e_conv1 = nn.Conv2d(3, n, 3, 1, 1, bias=True)
        self.e_conv2 = nn.Conv2d(n, n, 3, 1, 1, bias=True)
        self.e_conv3 = nn.Conv2d(n, n, 3, 1, 1, bias=True)
        self.e_conv4 = nn.Conv2d(n, n, 3, 1, 1, bias=True)
        self.e_conv5 = nn.Conv2d(n * 2, n, 3, 1, 1, bias=True)
        self.e_conv6 = nn.Conv2d(n * 2, n, 3, 1, 1, bias=True)
        self.e_conv7 = nn.Conv2d(n * 2, 24, 3, 1, 1, bias=True)

    def forward(self, x):
        x1 = self.relu(self.e_conv1(x))
        x2 = self.relu(self.e_conv2(x1))
        x3 = self.relu(self.e_conv3(x2))
        x4 = self.relu(self.e_conv4(x3))
        x5 = self.relu(self.e_conv5(torch.cat([x3, x4], 1)))
        x6 = self.relu(self.e_conv6(torch.cat([x2, x5], 1)))
        x_r = torch.tanh(self.e_conv7(torch.cat([x1, x6], 1)))
        r1, r2, r3, r4, r5, r6, r7, r8 = torch.split(x_r, 3, dim=1)
        x = x + r1 * (torch.pow(x, 2) - x)
        x = x + r2 * (torch.pow(x, 2) - x)
        x = x + r3 * (torch.pow(x, 2) - x)
        enhance_image_1 = x + r4 * (torch.pow(x, 2) - x)
        x = enhance_image_1 + r5 * (
            torch.pow(enhance_image_1, 2) - enhance_image_1)
        x = x + r6 * (torch.pow(x, 2) - x)
        x = x + r7 * (torch.pow(x, 2) - x)
        enhance_image = x + r8 * (torch.pow(x, 2) - x)
        r = torch.cat([r1, r2, r3, r4, r5, r6, r7, r8], 1)
        return enhance_image_1, enhance_image, r


run_convert = partial(
    run_tool, 'tools/model_converters/zero_dce_official.py', in_process=True)


@pytest.fixture
def official(tmp_path):
    torch.manual_seed(0)
    net = EnhanceNetNoPool()
    for p in net.parameters():
        p.data.normal_(0, 0.1)
    path = tmp_path / 'Epoch99.pth'
    torch.save(net.state_dict(), path)  # as lowlight_train.py saves it
    return net, path


def test_converted_equals_renamed_and_official(tmp_path, official):
    net, path = official
    run_convert(path, tmp_path / 'zero_dce.pth')
    converted = load_enhancer(str(tmp_path / 'zero_dce.pth'))
    assert isinstance(converted, ZeroDCE)
    direct = ZeroDCE().eval()
    direct.load_state_dict({
        k[2:]: v
        for k, v in torch.load(path).items()
    })  # 'e_conv1.weight' → 'conv1.weight'
    x = torch.rand(2, 3, 37, 53) * 0.3
    with torch.no_grad():
        assert (converted(x) - direct(x)).abs().max().item() == 0.0
        torch.testing.assert_close(converted(x), net(x)[1])
    for k, v in direct.state_dict().items():
        assert torch.equal(converted.state_dict()[k], v), k
    with pytest.raises(FileExistsError, match='--overwrite'):
        run_convert(path, tmp_path / 'zero_dce.pth')


def test_data_parallel_prefix_and_bad_keys(tmp_path, official):
    net, _ = official
    state = {f'module.{k}': v for k, v in net.state_dict().items()}
    torch.save(state, tmp_path / 'dp.pth')
    run_convert(tmp_path / 'dp.pth', tmp_path / 'dp_out.pth')
    state = dict(net.state_dict(), extra=torch.zeros(1))
    del state['e_conv7.bias']
    torch.save(state, tmp_path / 'bad.pth')
    with pytest.raises(
            KeyError,
            match=r"unexpected keys \['extra'\], "
            r"missing \['conv7.bias'\]"):
        run_convert(tmp_path / 'bad.pth', tmp_path / 'bad_out.pth')
