# ESPNetv2 s=2.0 (Mehta et al., CVPR 2019; the EdgeNets Cityscapes weights,
# not an OpenMMLab model) as a frozen mmseg recognizer: the network file is
# loaded by mmllie.TorchModuleBackbone, its logits are taken as they are by
# mmllie.LogitsSegHead. 19 classes (the network's 20th, background, channel
# is dropped), whole 1024x512 frames, no enhancer, day test frames.
# Convert the weights once (strict load, keys under backbone.network.):
#   python projects/espnetv2_cityscapes/tools/edgenets2mmseg.py \
#       espnetv2_s_2.0_city_1024x512.pth espnetv2_s2.0_city_mmseg.pth
# then test (from the repository root):
#   python tools/test.py \
#       projects/espnetv2_cityscapes/configs/espnetv2-s2.0_cityscapes-1024x512.py \
#       espnetv2_s2.0_city_mmseg.pth --cfg-options \
#       test_dataloader.dataset.data_root=data/cityscapes
_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['mmllie'], allow_failed_imports=False)
# the network's own normalisation: RGB, ImageNet mean / std on 0..255
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
network = 'projects/espnetv2_cityscapes/espnetv2/espnetv2.py:ESPNetv2Segmentation'  # noqa: E501
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='mmllie.GlobalPixelwiseEnhancer',
        host=data_preprocessor,
        enhancer=None),
    backbone=dict(
        type='mmllie.TorchModuleBackbone',
        network=network,
        kwargs=dict(s=2.0, classes=20, dataset='city', num_outputs=19)),
    decode_head=dict(
        type='mmllie.LogitsSegHead',
        num_classes=19,
        align_corners=True,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
dataset_type = 'CityscapesDataset'
data_root = 'data/cityscapes/'
# frames as they are (1024x512: the size the weights were trained at)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='leftImg8bit/val', seg_map_path='gtFine/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
default_hooks = dict(visualization=dict(type='SegVisualizationHook'))
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
