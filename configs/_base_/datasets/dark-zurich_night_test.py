# Dark Zurich night val (Sakaridis et al. 2019) with mmseg's own
# DarkZurichDataset, as mmseg's pspnet_*_dark-zurich-1920x1080 configs read
# it: data/dark_zurich/{rgb_anon,gt}/val/night/GOPR0356. Names are prefixed
# so this file can sit next to a complete recipe in `_base_`.
dark_zurich_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1920, 1080), keep_ratio=True),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
dark_zurich_test_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='DarkZurichDataset',
        data_root='data/dark_zurich/',
        data_prefix=dict(
            img_path='rgb_anon/val/night/GOPR0356',
            seg_map_path='gt/val/night/GOPR0356'),
        pipeline=dark_zurich_test_pipeline))
