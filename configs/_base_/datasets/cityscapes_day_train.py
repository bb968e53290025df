# Cityscapes DAY train images with mmseg's CityscapesDataset (official layout,
# data/cityscapes/{leftImg8bit,gtFine}/train) and mmseg's Cityscapes scale
# augmentation, for an enhancer trained on day images darkened on the fly
# (with their labels or without). Names are prefixed so this file can sit
# next to a complete recipe in `_base_`. Use:
#   train_dataloader = dict(
#       dataset=dict(_base_.cityscapes_day_train_dataset, _delete_=True,
#                    pipeline=train_pipeline))
cityscapes_day_train_dataset = dict(
    type='CityscapesDataset',
    data_root='data/cityscapes/',
    data_prefix=dict(
        img_path='leftImg8bit/train', seg_map_path='gtFine/train'))
cityscapes_day_random_resize = dict(
    type='RandomResize',
    scale=(2048, 1024),
    ratio_range=(0.5, 2.0),
    keep_ratio=True)
