# The real benchmark's protocol on the generated city: mmllie's few-frames
# recipe, taken verbatim (enhancer, batch 2, 300 iterations, Adam 5e-4,
# darkening on the fly, frozen-recognizer and guard hooks), in front of the
# FROZEN synthetic-day DeepLabV3+ made robust to exposure
# (./deeplabv3plus_r18-tiny-ft-photometric_1xb8-2k_synthetic-day-64x128.py),
# on a Cityscapes-layout root written by
# mmllie.datasets.cityscapes_layout.write_cityscapes_layout: a handful of
# generated day scenes with labels as the user's frames (leftImg8bit/train),
# scenes of another generator style as the frames it has never seen
# (leftImg8bit/val, darkened with a fixed seed; the level is the test
# pipeline's third transform). The crop keeps the recipe's share of the
# frame: the recipe trains on 128x256 crops of 1024x512 real frames (1/16
# of the frame, whose statistics -- GEM's thumbnail -- differ from the
# whole test frame's), so here 32x64 crops of the 128x256 scenes. Run it as the real frames are (docs/en/benchmarks/generated_city.md):
#   python tools/synthetic_night_benchmark.py --real \
#       configs/synthetic/gpllie-darkened_deeplabv3plus-r18-tiny_1xb2-300_synthetic-cityscapes-day2night-32x64.py \
#       configs/synthetic/gpllie-label-free_deeplabv3plus-r18-tiny_1xb2-300_synthetic-cityscapes-day2night-32x64.py \
#       --recognizer mmllie/benchmarks/checkpoints/synthetic_deeplabv3plus_r18-tiny-photometric_day-128x256.pth \
#       --data-root data/synthetic_cityscapes
_base_ = [
    './deeplabv3plus_r18-tiny_1xb8-20k_synthetic-day-64x128.py',
    'mmllie::_base_/recipes/gpllie_few-frames_1xb2-300_day2night.py'
]
crop_size = (32, 64)
model = dict(
    # the shipped recognizer's ASPP rates (its stage 2)
    decode_head=dict(dilations=(1, 2, 3, 4)),
    data_preprocessor=dict(
        _delete_=True,
        type='mmllie.GlobalPixelwiseEnhancer',
        host=dict(_base_.data_preprocessor, size=crop_size),
        enhancer=_base_.few_frames_enhancer))
dataset_type = 'CityscapesDataset'
data_root = 'data/synthetic_cityscapes'
darkened_day_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5), _base_.few_frames_darkening,
    dict(type='PackSegInputs')
]
night_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='mmllie.LowLightSynthesis', level='normal', seed=123),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='leftImg8bit/train', seg_map_path='gtFine/train'),
        pipeline=darkened_day_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='leftImg8bit/val', seg_map_path='gtFine/val'),
        pipeline=night_test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
optim_wrapper = _base_.few_frames_optim_wrapper
param_scheduler = _base_.few_frames_param_scheduler
train_cfg = _base_.few_frames_train_cfg
default_hooks = _base_.few_frames_default_hooks
custom_hooks = _base_.few_frames_custom_hooks
model_wrapper_cfg = _base_.few_frames_model_wrapper_cfg
