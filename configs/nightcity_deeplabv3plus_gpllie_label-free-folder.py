# As nightcity_deeplabv3plus_gpllie_label-free-cityscapes.py, from ANY
# folder of day street images (mmllie.ImageFolderDataset: recursive, no
# annotation file, .jpg/.png/... in any case). Tested on NightCity val.
#   python tools/train.py \
#       configs/nightcity_deeplabv3plus_gpllie_label-free-folder.py \
#       --cfg-options load_from=/data/ckpt/deeplabv3plus_cityscapes.pth \
#       train_dataloader.dataset.data_root=/data/my_day_drives
_base_ = ['./nightcity_deeplabv3plus_gpllie_label-free-cityscapes.py']
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='mmllie.ImageFolderDataset',
        data_root='data/day_street_images/',
        pipeline={{_base_.label_free_pipeline}}))
