import copy

import pytest
import torch
from mmengine.registry import MODELS, init_default_scope

from mmllie.models.data_preprocessors import GlobalPixelwiseEnhancer
from mmllie.testing.hosts import HOSTS, make_sample

IDENTITY = dict(type='GPLLIE', use_gem=False, use_pam=False)


def _batch(scope, sizes):
    items = [make_sample(scope, h, w, i) for i, (h, w) in enumerate(sizes)]
    return dict(
        inputs=[i for i, _ in items], data_samples=[s for _, s in items])


def _build(scope, enhancer=IDENTITY, **host_overrides):
    init_default_scope(scope)
    host = dict(HOSTS[scope], **host_overrides)
    # the wrapper alone, no recognizer: training-mode data path without
    # the frozen guarantee (tests/test_engine checks the guarantee)
    return MODELS.build(
        dict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=host,
            enhancer=enhancer,
            train_recognizer=True))


@pytest.mark.parametrize('scope', ['mmseg', 'mmpose', 'mmpretrain'])
@pytest.mark.parametrize('training', [True, False])
def test_identity_equals_host(scope, training):
    wrapper = _build(scope)
    assert isinstance(wrapper, GlobalPixelwiseEnhancer)
    host = MODELS.build(HOSTS[scope])
    # mixed sizes where the host pads (mmseg training, mmpretrain)
    mixed = scope in ('mmseg', 'mmpretrain') and training
    sizes = [(32, 32), (27, 30)] if mixed else [(32, 32), (32, 32)]
    data = _batch(scope, sizes)
    ref = host(copy.deepcopy(data), training)
    out = wrapper(copy.deepcopy(data), training)
    assert out['inputs'].shape == ref['inputs'].shape
    torch.testing.assert_close(out['inputs'], ref['inputs'], atol=1e-5, rtol=0)
    for a, b in zip(out['data_samples'], ref['data_samples']):
        assert a.metainfo.keys() == b.metainfo.keys()
        for key in a.metainfo:
            assert str(a.metainfo[key]) == str(b.metainfo[key])


@pytest.mark.parametrize('enhancer', [dict(type='GPLLIE'), None])
@pytest.mark.parametrize('training', [True, False])
def test_channels_last_same_values(enhancer, training):
    """channels_last changes the memory layout, not the values; padded
    training batches (per-image enhancement) keep it too."""
    torch.manual_seed(0)
    plain = _build('mmseg', enhancer=enhancer)
    fast = _build('mmseg', enhancer=enhancer)
    fast.load_state_dict(plain.state_dict())
    fast.channels_last = True
    if enhancer is not None:  # a PAM map that is not zero
        torch.nn.init.normal_(plain.enhancer.pam.out_conv.weight, std=0.1)
        fast.load_state_dict(plain.state_dict())
    mixed = [[(32, 32), (27, 30)]] if training else []
    for sizes in [[(32, 32), (32, 32)]] + mixed:
        data = _batch('mmseg', sizes)
        ref = plain(copy.deepcopy(data), training)['inputs']
        out = fast(copy.deepcopy(data), training)['inputs']
        assert not ref.is_contiguous(memory_format=torch.channels_last)
        assert out.is_contiguous(memory_format=torch.channels_last)
        torch.testing.assert_close(out, ref, atol=1e-4, rtol=1e-4)


def test_no_enhancer_is_pass_through():
    wrapper = _build('mmseg', enhancer=None)
    host = MODELS.build(HOSTS['mmseg'])
    data = _batch('mmseg', [(32, 32), (32, 32)])
    torch.testing.assert_close(
        wrapper(copy.deepcopy(data))['inputs'],
        host(copy.deepcopy(data))['inputs'])


def test_enhancer_off_is_pass_through_and_saved():
    gpllie = dict(
        type='GPLLIE',
        use_gem=False,
        use_pam=False,
        smoothing=dict(prior_index=1))
    wrapper = _build('mmseg', enhancer=gpllie)
    host = MODELS.build(HOSTS['mmseg'])
    data = _batch('mmseg', [(32, 32), (32, 32)])
    data['inputs'] = [
        x // 4 + torch.randint_like(x, 0, 60) for x in data['inputs']
    ]  # dark and noisy: the blur acts
    enhanced = wrapper(copy.deepcopy(data))['inputs']
    plain = host(copy.deepcopy(data))['inputs']
    assert not torch.allclose(enhanced, plain)
    wrapper.set_enhancer_off()
    assert not wrapper.enhancer_active
    torch.testing.assert_close(wrapper(copy.deepcopy(data))['inputs'], plain)
    # the switch travels with the state dict; older states load it off
    state = wrapper.state_dict()
    assert state['enhancer_off'].item() is True
    fresh = _build('mmseg', enhancer=gpllie)
    fresh.load_state_dict(state)
    torch.testing.assert_close(fresh(copy.deepcopy(data))['inputs'], plain)
    with pytest.raises(RuntimeError, match='enhancer_off'):
        fresh(copy.deepcopy(data), training=True)
    old = {k: v for k, v in state.items() if k != 'enhancer_off'}
    fresh.load_state_dict(old)  # strict: the switch may be missing
    assert fresh.enhancer_active
    torch.testing.assert_close(fresh(copy.deepcopy(data))['inputs'], enhanced)


def test_unnormalised_host_keeps_its_scale():
    wrapper = _build('mmseg', mean=None, std=None)
    assert not wrapper.normalized
    data = _batch('mmseg', [(32, 32), (32, 32)])
    out = wrapper(copy.deepcopy(data))['inputs']
    expected = torch.stack([d.flip(0).float() for d in data['inputs']])
    torch.testing.assert_close(out, expected, atol=1e-4, rtol=0)
    assert out.max() > 1.5  # [0, 255] scale, not [0, 1]


def test_padding_keeps_host_values_and_enhancer_sees_valid_region():
    torch.manual_seed(0)
    # the 'fixed' exposure start brightens before any training
    wrapper = _build(
        'mmseg',
        enhancer=dict(type='GPLLIE', gem=dict(exposure_prior='fixed')))
    host = MODELS.build(HOSTS['mmseg'])
    data = _batch('mmseg', [(32, 32), (27, 30)])
    ref = host(copy.deepcopy(data), True)['inputs']
    out = wrapper(copy.deepcopy(data), True)['inputs']
    # padded pixels of the small image are the host's pad value
    assert torch.equal(out[1, :, 27:, :], ref[1, :, 27:, :])
    assert torch.equal(out[1, :, :, 30:], ref[1, :, :, 30:])
    # the valid region equals the enhancer applied to the crop alone
    wrapper.eval()
    out = wrapper(copy.deepcopy(data), True)['inputs']
    crop = wrapper.to_unit(ref[1:2, :, :27, :30])
    expected = wrapper.from_unit(wrapper.enhancer(crop))
    torch.testing.assert_close(
        out[1:2, :, :27, :30], expected, atol=1e-4, rtol=0)
    # and the enhancer really changed the image (GEM brightens dark input)
    assert (out[1, :, :27, :30] - ref[1, :, :27, :30]).abs().mean() > 0.1


def test_exposure_augment_in_training_only():

    def build(**kwargs):
        init_default_scope('mmseg')
        return MODELS.build(
            dict(
                type='mmllie.GlobalPixelwiseEnhancer',
                host=HOSTS['mmseg'],
                train_recognizer=True,  # the wrapper alone, no Runner
                **kwargs))

    wrapper = build(exposure_augment=(0.25, 4.0))  # default GPLLIE
    data = _batch('mmseg', [(32, 32)] * 4)
    plain = build(enhancer=None)
    # the default enhancer is the identity: eval output = no augmentation
    torch.testing.assert_close(
        wrapper(copy.deepcopy(data), False)['inputs'],
        plain(copy.deepcopy(data), False)['inputs'])
    torch.manual_seed(0)
    x = wrapper.to_unit(plain(copy.deepcopy(data), False)['inputs'])
    aug = wrapper.augment_exposure(x)
    ratio = (
        aug.pow(2.2).mean(dim=(1, 2, 3)) /
        x.clamp(0, 1).pow(2.2).mean(dim=(1, 2, 3)))
    assert ratio.min() < 1 < ratio.max()  # brighter and darker per image
    assert aug.min() >= 0 and aug.max() <= 1
    out = wrapper(copy.deepcopy(data), True)['inputs']
    assert not torch.allclose(out, plain(copy.deepcopy(data), True)['inputs'])
    with pytest.raises(ValueError, match='exposure_augment'):
        build(exposure_augment=(2.0, 1.0))


def test_bgr_host_gets_bgr_back():
    """A host trained on BGR input keeps BGR; the enhancer still sees RGB."""
    wrapper = _build('mmseg', bgr_to_rgb=False)
    host = MODELS.build(dict(HOSTS['mmseg'], bgr_to_rgb=False))
    data = _batch('mmseg', [(32, 32)] * 2)
    torch.testing.assert_close(
        wrapper(copy.deepcopy(data))['inputs'],
        host(copy.deepcopy(data))['inputs'],
        atol=1e-5,
        rtol=0)
    seen = []
    wrapper.enhancer.forward = lambda x: seen.append(x) or x
    wrapper(copy.deepcopy(data))
    rgb = data['inputs'][0].flip(0).float() / 255
    torch.testing.assert_close(seen[0][0], rgb, atol=1e-5, rtol=0)


def test_unknown_host_type():
    init_default_scope('mmseg')
    with pytest.raises(KeyError, match='NoSuchPreProcessor'):
        MODELS.build(
            dict(
                type='mmllie.GlobalPixelwiseEnhancer',
                host=dict(type='NoSuchPreProcessor')))
    with pytest.raises(TypeError, match='host'):
        GlobalPixelwiseEnhancer(host='SegDataPreProcessor')


@pytest.mark.parametrize('key', ['mean', 'std'])
def test_mean_std_wrong_length(key):
    with pytest.raises(ValueError, match=f'host `{key}` must have 3'):
        _build('mmseg', **{key: [1.0, 2.0]})


@pytest.mark.parametrize('channels', [1, 4])
def test_wrong_channel_count(channels):
    wrapper = _build('mmseg', enhancer=dict(type='GPLLIE'))
    data = _batch('mmseg', [(32, 32)] * 2)
    data['inputs'][1] = torch.zeros(channels, 32, 32, dtype=torch.uint8)
    with pytest.raises(ValueError, match=r'batch item 1 \(img1\).*3-channel'):
        wrapper(data)


def test_nan_input():
    wrapper = _build('mmseg', enhancer=dict(type='GPLLIE'))
    data = _batch('mmseg', [(32, 32)] * 2)
    data['inputs'] = [x.float() for x in data['inputs']]
    data['inputs'][0][0, 3, 3] = float('nan')
    with pytest.raises(ValueError, match='batch item 0.*NaN'):
        wrapper(data)


def test_batch_darkening_in_training_only():
    """``darkening``: the labelled recipe's darkening on the device; labels
    untouched, validation and test see the images as loaded."""
    init_default_scope('mmseg')
    wrapper = MODELS.build(
        dict(
            type='mmllie.GlobalPixelwiseEnhancer',
            host=HOSTS['mmseg'],
            enhancer=IDENTITY,
            darkening=dict(
                type='mmllie.BatchLowLightSynthesis',
                level='hard',
                seed=0,
                to_uint8=True),
            train_recognizer=True))
    data = _batch('mmseg', [(32, 32), (32, 32)])
    labels = [s.gt_sem_seg.data.clone() for s in data['data_samples']]
    plain = wrapper.to_unit(wrapper(copy.deepcopy(data), False)['inputs'])
    out = wrapper(copy.deepcopy(data), True)
    dark = wrapper.to_unit(out['inputs'])
    assert dark.mean() < 0.6 * plain.mean()
    steps = dark * 255  # 8-bit steps, like a darkened image file
    assert torch.allclose(steps, steps.round(), atol=1e-3)
    for sample, label in zip(out['data_samples'], labels):
        assert torch.equal(sample.gt_sem_seg.data, label)
    host = MODELS.build(HOSTS['mmseg'])
    assert torch.equal(
        wrapper(copy.deepcopy(data), False)['inputs'],
        host(copy.deepcopy(data), False)['inputs'])


def test_pose_crop_is_enhanced_whole():
    """A top-down crop's ``img_shape`` is the original image's: the whole
    crop is the valid region, however small the original."""
    wrapper = _build('mmpose', enhancer=dict(type='GPLLIE'))
    data = _batch('mmpose', [(32, 32), (32, 32)])
    for sample in data['data_samples']:
        sample.set_metainfo(dict(img_shape=(16, 20)))
    seen = []
    wrapper.enhancer.register_forward_pre_hook(
        lambda m, args: seen.append(tuple(args[0].shape[-2:])))
    wrapper(data, False)
    assert seen == [(32, 32)]


def test_nested_wrappers_are_refused_saying_why():
    init_default_scope('mmseg')
    inner = dict(type='mmllie.GlobalPixelwiseEnhancer', host=HOSTS['mmseg'])
    with pytest.raises(
            TypeError,
            match='`host` is itself a mmllie.Global'
            'PixelwiseEnhancer \\(two nested wrappers'):
        GlobalPixelwiseEnhancer(host=inner)
