import os
import os.path as osp
import pickle

import pytest
import torch
from mmengine.runner import save_checkpoint

from mmllie.apis import export_enhancer, load_enhancer
from mmllie.checkpoint.stored_cfg import check_enhancer_types, embed_pretrained
from mmllie.models import get_enhancer
from mmllie.models.enhancers.builder import build_enhancer
from mmllie.testing.hosts import build_runner, recognizer_checkpoint
from mmllie.testing.tools import run_tool


class Evil:

    def __reduce__(self):
        return (print, ('pwned', ))


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('ckpt')
    ckpt, _ = recognizer_checkpoint('mmseg', tmp)
    runner = build_runner(
        'mmseg',
        tmp / 'run',
        max_iters=2,
        load_from=ckpt,
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=2,
                            by_epoch=False)))
    runner.train()
    return runner, str(tmp / 'run' / 'iter_2.pth')


def test_export_and_load_into_fresh_enhancer(trained, tmp_path):
    runner, ckpt = trained
    out = str(tmp_path / 'enhancer.pth')
    export_enhancer(ckpt, out)
    assert osp.getsize(out) < 3 * 2**20  # ~2.3 MB
    enhancer = load_enhancer(out)
    trained_enhancer = get_enhancer(runner.model).eval()
    x = torch.rand(1, 3, 29, 41) * 0.1
    with torch.no_grad():
        torch.testing.assert_close(enhancer(x), trained_enhancer(x))
    with pytest.raises(FileExistsError, match='enhancer.pth exists'):
        export_enhancer(ckpt, out)
    with pytest.raises(KeyError, match='does not match'):
        load_enhancer(out, cfg=dict(type='GPLLIE', use_pam=False))


@pytest.mark.slow
def test_export_tool_cli(trained, tmp_path):
    _, ckpt = trained
    out = str(tmp_path / 'e.pth')
    log = run_tool('tools/model_converters/export_enhancer.py', ckpt, out)
    # 577,963 parameters + BN running statistics
    assert '95 tensors, 579,055 values' in log


def test_export_needs_an_enhancer(tmp_path):
    ckpt, _ = recognizer_checkpoint('mmseg', tmp_path)
    with pytest.raises(KeyError, match='data_preprocessor.enhancer'):
        export_enhancer(ckpt, str(tmp_path / 'x.pth'))


def test_export_refuses_a_run_that_kept_no_enhancer(trained, tmp_path):
    _, ckpt = trained
    ckpt_state = torch.load(ckpt, map_location='cpu', weights_only=True)
    assert ckpt_state['state_dict']['data_preprocessor.enhancer_off'].item(
    ) is False
    ckpt_state['state_dict']['data_preprocessor.enhancer_off'].fill_(True)
    off = str(tmp_path / 'kept_none.pth')
    torch.save(ckpt_state, off)
    with pytest.raises(ValueError, match='keeps no enhancer'):
        export_enhancer(off, str(tmp_path / 'e.pth'))
    assert not osp.exists(tmp_path / 'e.pth')


def test_weights_only_protection_kept(trained, tmp_path):
    _, ckpt = trained
    # an mmengine training checkpoint (HistoryBuffer, numpy) loads with the
    # default weights_only=True ...
    state = torch.load(ckpt, map_location='cpu')
    assert 'message_hub' in state and 'optimizer' in state
    # ... while an arbitrary pickle is still refused
    evil = str(tmp_path / 'evil.pth')
    torch.save({'x': Evil()}, evil, pickle_protocol=pickle.HIGHEST_PROTOCOL)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(evil)


def test_resume(trained, tmp_path):
    _, ckpt = trained
    runner = build_runner(
        'mmseg', tmp_path, max_iters=3, resume=True, load_from=ckpt)
    runner.train()
    assert runner.iter == 3


def test_an_enhancer_nesting_a_pretrained_one_exports_without_its_file(
        tmp_path):
    """The frozen denoiser of the smoothing is read from its own file in
    training; the run's checkpoint stores it as an ``EmbeddedEnhancer`` and
    the exported enhancer loads from that checkpoint alone."""
    torch.manual_seed(0)
    from mmllie.models.enhancers import ResidualDenoiser
    denoiser = ResidualDenoiser(width=2)
    torch.nn.init.normal_(denoiser.out.weight, std=0.1)  # not the blur
    den_file = str(tmp_path / 'denoiser.pth')
    save_checkpoint(
        dict(
            state_dict=denoiser.state_dict(),
            meta=dict(enhancer_cfg=dict(type='ResidualDenoiser', width=2))),
        den_file)
    ckpt, _ = recognizer_checkpoint('mmseg', tmp_path)
    smoothing = dict(
        type='NoiseAdaptiveSmoothing',
        prior_index=3,
        denoiser=dict(
            type='PretrainedEnhancer',
            checkpoint=den_file,
            enhancer=dict(type='ResidualDenoiser', width=2)))
    runner = build_runner(
        'mmseg',
        tmp_path / 'run',
        max_iters=1,
        load_from=ckpt,
        enhancer=smoothing,
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=1,
                            by_epoch=False)))
    runner.train()
    train_ckpt = str(tmp_path / 'run' / 'iter_1.pth')
    stored = torch.load(train_ckpt)['meta']['enhancer_cfg']
    assert stored['denoiser'] == dict(
        type='EmbeddedEnhancer',
        enhancer=dict(type='ResidualDenoiser', width=2))
    out = str(tmp_path / 'smoothing.pth')
    export_enhancer(train_ckpt, out)
    os.remove(den_file)  # the export needs no other file
    enhancer = load_enhancer(out)
    assert torch.equal(enhancer.denoiser.enhancer.out.weight,
                       denoiser.out.weight)
    x = torch.rand(2, 3, 24, 32) * 0.1
    with torch.no_grad():
        torch.testing.assert_close(
            enhancer(x),
            get_enhancer(runner.model).eval()(x))


def test_embed_pretrained_converts_at_any_depth_and_copies():
    cfg = dict(
        type='mmllie.SmoothedGainGPLLIE',
        enhancer=[
            dict(
                type='mmllie.PretrainedEnhancer',
                checkpoint='a.pth',
                enhancer=dict(type='GPLLIE'))
        ])
    out = embed_pretrained(cfg)
    assert out['enhancer'][0] == dict(
        type='EmbeddedEnhancer', enhancer=dict(type='GPLLIE'))
    assert cfg['enhancer'][0]['checkpoint'] == 'a.pth'
    check_enhancer_types(out, 'converted')


def test_export_without_a_stored_config(trained, tmp_path):
    """Weights alone export as the default GP-LLIE only if they are its."""
    _, ckpt = trained
    state = torch.load(ckpt, weights_only=False)['state_dict']
    bare = str(tmp_path / 'bare.pth')
    torch.save(dict(state_dict=state), bare)
    out = export_enhancer(bare, str(tmp_path / 'e.pth'))
    assert out['meta']['enhancer_cfg'] == dict(type='GPLLIE')
    # a blend's weights with no config: refused, nothing written
    blend = {
        'data_preprocessor.enhancer.' + k: v
        for k, v in build_enhancer(
            dict(
                type='GPLLIE',
                use_gem=False,
                use_pam=False,
                smoothing=dict(prior_index=1))).state_dict().items()
    }
    torch.save(dict(state_dict=blend), bare)
    with pytest.raises(ValueError, match='stores no enhancer config'):
        export_enhancer(bare, str(tmp_path / 'f.pth'))
    assert not osp.exists(tmp_path / 'f.pth')
