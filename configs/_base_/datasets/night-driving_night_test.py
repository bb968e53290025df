# Nighttime Driving test (Dai & Van Gool 2018) with mmseg's own
# NightDrivingDataset, as mmseg's pspnet_*_night-driving-1920x1080 configs
# read it: data/NighttimeDrivingTest/leftImg8bit/test/night and
# gtCoarse_daytime_trainvaltest/test/night. Names are prefixed so this
# file can sit next to a complete recipe in `_base_`.
night_driving_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1920, 1080), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
night_driving_test_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='NightDrivingDataset',
        data_root='data/NighttimeDrivingTest/',
        data_prefix=dict(
            img_path='leftImg8bit/test/night',
            seg_map_path='gtCoarse_daytime_trainvaltest/test/night'),
        pipeline=night_driving_test_pipeline))
