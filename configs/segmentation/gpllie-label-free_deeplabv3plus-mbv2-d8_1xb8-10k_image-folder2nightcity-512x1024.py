# As gpllie-label-free_deeplabv3plus-mbv2-d8_1xb8-10k_cityscapes2nightcity-512x1024.py, from ANY
# folder of day street images (mmllie.ImageFolderDataset: recursive, no
# annotation file, .jpg/.png/... in any case). Tested on NightCity val.
#   python tools/train.py \
#       configs/segmentation/gpllie-label-free_deeplabv3plus-mbv2-d8_1xb8-10k_image-folder2nightcity-512x1024.py \
#       --cfg-options load_from=/data/ckpt/deeplabv3plus_cityscapes.pth \
#       train_dataloader.dataset.data_root=/data/my_day_drives
_base_ = [
    './gpllie-label-free_deeplabv3plus-mbv2-d8_1xb8-10k_cityscapes2nightcity-512x1024.py'
]
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='mmllie.ImageFolderDataset',
        data_root='data/day_street_images/',
        pipeline={{_base_.label_free_pipeline}}))
