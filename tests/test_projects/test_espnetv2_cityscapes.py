"""projects/espnetv2_cityscapes: the ESPNetv2 module, its weight converter
and its configs, with random weights on a tiny Cityscapes-layout fixture."""
import copy
import importlib.util
import os
import os.path as osp
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmllie.models.adapters import build_network
from mmllie.testing.cityscapes import make_cityscapes

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PROJECT = osp.join(REPO, 'projects', 'espnetv2_cityscapes')
NETWORK = osp.join(PROJECT, 'espnetv2', 'espnetv2.py') + \
    ':ESPNetv2Segmentation'
CONFIGS = osp.join(PROJECT, 'configs')
TEST_CFG = 'no-enhancer_espnetv2-s2.0_cityscapes-night-1024x512.py'
LABELLED_CFG = \
    'gpllie-darkened_espnetv2-s2.0_1xb2-300_cityscapes-day2night-1024x512.py'
LABEL_FREE_CFG = \
    'gpllie-label-free_espnetv2-s2.0_1xb2-300_cityscapes-day2night-1024x512.py'
DENOISER_CFG = 'residual-denoiser_1xb4-4k_cityscapes-day2night-128x128.py'


def _converter():
    path = osp.join(PROJECT, 'tools', 'edgenets2mmseg.py')
    spec = importlib.util.spec_from_file_location('edgenets2mmseg', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def listing(net: torch.nn.Module) -> str:
    """The ``key<TAB>shape`` listing of a state dict (header first)."""
    rows = [f'{k}\t{tuple(v.shape)}' for k, v in net.state_dict().items()]
    return '\n'.join(['key\tshape', *rows]) + '\n'


def weights_from_listing(text: str, seed: int = 0) -> dict:
    """Random tensors of the listed keys and shapes (BN variances > 0)."""
    g = torch.Generator().manual_seed(seed)
    state = {}
    for line in text.splitlines()[1:]:
        key, shape = line.split('\t')
        shape = tuple(int(s) for s in shape.strip('()').split(',') if s)
        if key.endswith('num_batches_tracked'):
            state[key] = torch.tensor(7)
        elif key.endswith('running_var'):
            state[key] = torch.rand(shape, generator=g) + 0.5
        else:
            state[key] = 0.3 * torch.randn(shape, generator=g)
    return state


@pytest.fixture(scope='module')
def weights(tmp_path_factory):
    """EdgeNets-style weights (a plain state dict) from the module's own
    listing, and their converted mmseg checkpoint."""
    tmp = tmp_path_factory.mktemp('espnetv2')
    net = build_network(NETWORK, dict(s=2.0, classes=20))
    raw = str(tmp / 'espnetv2_s_2.0_city.pth')
    torch.save(weights_from_listing(listing(net)), raw)
    converted = str(tmp / 'espnetv2_mmseg.pth')
    _converter().convert(raw, converted)
    return raw, converted


@pytest.fixture(scope='module')
def cityscapes(tmp_path_factory):
    """A Cityscapes layout: 2 train and 2 val 64x128 frames with labels."""
    return make_cityscapes(str(tmp_path_factory.mktemp('cityscapes')))


def test_layout_of_the_edgenets_weights():
    """526 tensors, 789,242 parameters, 814,351 values (BN buffers
    included): the EdgeNets s=2.0 Cityscapes model's."""
    net = build_network(NETWORK, dict(s=2.0, classes=20))
    state = net.state_dict()
    assert len(state) == 526
    assert sum(p.numel() for p in net.parameters()) == 789242
    assert sum(v.numel() for v in state.values()) == 814351
    shapes = {k: tuple(v.shape) for k, v in state.items()}
    assert shapes['base_net.level1.conv.weight'] == (32, 3, 3, 3)
    assert shapes['base_net.level2_0.eesp.proj_1x1.conv.weight'] == \
        (24, 8, 1, 1)
    assert shapes['base_net.level4.6.spp_dw.3.conv.weight'] == \
        (128, 1, 3, 3)
    assert shapes['bu_dec_l1.projection_layer.cbr.0.weight'] == \
        (10, 512, 1, 1)
    assert shapes['merge_enc_dec_l2.expansion_layer.cbr.0.weight'] == \
        (64, 4, 3, 3)
    assert shapes['bu_dec_l4.merge_layer.3.bias'] == (20, )
    # the dilations of the branches follow the receptive-field limits
    level4 = net.base_net.level4[0].spp_dw
    assert [b.conv.dilation[0] for b in level4] == [1, 1, 2, 3]


def test_listing_round_trip(weights):
    """Weights made from the module's listing load strictly, and the
    converted checkpoint holds the same tensors under backbone.network."""
    raw, converted = weights
    net = build_network(NETWORK, dict(s=2.0, classes=20))
    state = torch.load(raw, weights_only=True)
    net.load_state_dict(state, strict=True)
    assert listing(net).splitlines()[1:] == [
        f'{k}\t{tuple(v.shape)}' for k, v in state.items()
    ]
    ckpt = torch.load(converted, weights_only=True)['state_dict']
    assert len(ckpt) == 526
    for k, v in state.items():
        assert torch.equal(ckpt['backbone.network.' + k], v), k


def test_forward_shapes_and_outputs():
    torch.manual_seed(0)
    net = build_network(NETWORK, dict(s=2.0, classes=20)).eval()
    net19 = build_network(NETWORK, dict(s=2.0, classes=20, num_outputs=19))
    net19.load_state_dict(net.state_dict())
    x = torch.randn(1, 3, 64, 128)
    with torch.no_grad():
        out = net(x)
        out19 = net19.eval()(x)
    assert out.shape == (1, 20, 64, 128)
    assert torch.equal(out19, out[:, :19])
    with pytest.raises(ValueError, match='num_outputs'):
        build_network(NETWORK, dict(classes=20, num_outputs=21))
    with pytest.raises(ValueError, match='s=3.0'):
        build_network(NETWORK, dict(s=3.0))


def test_converter_refuses_other_weights(tmp_path, weights):
    raw, _ = weights
    state = torch.load(raw, weights_only=True)
    state.pop('bu_dec_l4.merge_layer.3.bias')
    bad = str(tmp_path / 'bad.pth')
    torch.save(state, bad)
    with pytest.raises(RuntimeError, match='bad.pth is not an ESPNetv2'):
        _converter().convert(bad, str(tmp_path / 'out.pth'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        _converter().convert(str(tmp_path / 'missing.pth'), bad)


def _cfg(name: str, work_dir: str, data_root: str, ckpt: str) -> Config:
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    cfg.work_dir = work_dir
    cfg.experiment_name = f'espnetv2_{uuid.uuid4().hex}'
    cfg.load_from = ckpt
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(loader):
            cfg[loader].dataset.data_root = data_root
    cfg.default_hooks.visualization = dict(type='SegVisualizationHook')
    return cfg


@pytest.mark.slow
def test_test_config_is_the_network(monkeypatch, tmp_path, weights,
                                    cityscapes):
    """The mmseg model of the test config returns the network's first 19
    logits on the host-normalised frame; the test loop reports mIoU."""
    monkeypatch.chdir(REPO)  # the configs name the network file from here
    raw, converted = weights
    cfg = _cfg(TEST_CFG, str(tmp_path), cityscapes, converted)
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    assert 0 <= metrics['mIoU'] <= 100
    model = runner.model.eval()
    net = build_network(NETWORK, dict(s=2.0, classes=20)).eval()
    net.load_state_dict(torch.load(raw, weights_only=True))
    img = torch.randint(0, 256, (3, 64, 128), dtype=torch.uint8)
    mean = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1)
    std = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1)
    rgb = img.flip(0)[None].float()  # the loader's BGR -> RGB
    with torch.no_grad():
        data = model.data_preprocessor(dict(inputs=[img]), False)
        logits = model(data['inputs'], mode='tensor')
        expected = net((rgb - mean) / std)[:, :19]
    assert logits.shape == (1, 19, 64, 128)
    torch.testing.assert_close(logits, expected, atol=1e-4, rtol=1e-4)


def _two_small_iterations(cfg: Config) -> None:
    """Shorten a recipe config to 2 iterations on 32x64 crops, in place."""
    cfg.train_cfg.max_iters = cfg.train_cfg.val_interval = 2
    cfg.default_hooks.checkpoint.interval = 2
    cfg.train_dataloader.dataset.pipeline = [
        dict(t, crop_size=(32, 64)) if t['type'] == 'RandomCrop' else t
        for t in cfg.train_dataloader.dataset.pipeline
    ]


@pytest.mark.slow
@pytest.mark.parametrize('name', [LABELLED_CFG, LABEL_FREE_CFG])
def test_recipes_train_the_enhancer_only(monkeypatch, tmp_path, weights,
                                         cityscapes, name):
    """Both recipes train the enhancer; the network's weights and BN
    statistics stay bit-identical."""
    monkeypatch.chdir(REPO)
    _, converted = weights
    cfg = _cfg(name, str(tmp_path), cityscapes, converted)
    _two_small_iterations(cfg)
    runner = Runner.from_cfg(cfg)
    net = torch.load(converted, weights_only=True)['state_dict']
    enhancer = copy.deepcopy(
        runner.model.data_preprocessor.enhancer.state_dict())
    runner.train()
    for k, v in runner.model.backbone.network.state_dict().items():
        assert torch.equal(v, net['backbone.network.' + k]), k
    after = runner.model.data_preprocessor.enhancer.state_dict()
    assert any(not torch.equal(after[k], v) for k, v in enhancer.items())
    assert osp.isfile(osp.join(str(tmp_path), 'iter_2.pth'))


@pytest.mark.slow
def test_denoiser_pretraining_and_the_recipe_with_it(monkeypatch, tmp_path,
                                                     weights, cityscapes):
    """The denoiser config trains on images alone; exported, it is the
    recipe's frozen candidate: the blend trains, the denoiser and the
    network stay bit-identical."""
    from mmllie.apis import export_enhancer, load_enhancer
    monkeypatch.chdir(REPO)
    _, converted = weights
    cfg = _cfg(DENOISER_CFG, str(tmp_path / 'den'), cityscapes, None)
    cfg.train_cfg.max_iters = cfg.default_hooks.checkpoint.interval = 2
    cfg.train_dataloader.dataset.pipeline[1].crop_size = (32, 32)
    runner = Runner.from_cfg(cfg)
    start = copy.deepcopy(runner.model.enhancer.state_dict())
    runner.train()
    trained = runner.model.enhancer.state_dict()
    assert any(not torch.equal(trained[k], v) for k, v in start.items())
    exported = str(tmp_path / 'denoiser.pth')
    out = export_enhancer(str(tmp_path / 'den' / 'iter_2.pth'), exported)
    assert out['meta']['enhancer_cfg']['type'] == 'mmllie.ResidualDenoiser'

    cfg = _cfg(LABELLED_CFG, str(tmp_path / 'recipe'), cityscapes, converted)
    # as documented: the denoiser after the recipe's blurs and guided filter
    cfg.model.data_preprocessor.enhancer.smoothing.update(
        prior_index=4,
        denoiser=dict(
            type='PretrainedEnhancer',
            checkpoint=exported,
            enhancer=dict(type='ResidualDenoiser', width=16)))
    _two_small_iterations(cfg)
    runner = Runner.from_cfg(cfg)
    runner.train()
    smoothing = runner.model.data_preprocessor.enhancer.smoothing
    assert smoothing.guided is not None and smoothing.prior_index == 4
    for k, v in smoothing.denoiser.enhancer.state_dict().items():
        assert torch.equal(v, trained[k]), k
    assert smoothing.prior_weight.item() != 0.  # the blend was trained
    net = torch.load(converted, weights_only=True)['state_dict']
    for k, v in runner.model.backbone.network.state_dict().items():
        assert torch.equal(v, net['backbone.network.' + k]), k
    # the recipe's enhancer, denoiser included, exports to one file
    whole = str(tmp_path / 'recipe_enhancer.pth')
    export_enhancer(str(tmp_path / 'recipe' / 'iter_2.pth'), whole)
    os.remove(exported)
    loaded = load_enhancer(whole)
    for k, v in loaded.smoothing.denoiser.enhancer.state_dict().items():
        assert torch.equal(v, trained[k]), k
