import copy

import torch
import torch.distributed as dist
from mmengine.optim import OptimWrapper
from mmengine.registry import MODELS, init_default_scope
from mmseg.structures import SegDataSample

from mmllie.models import EnhancerDistributedDataParallel, get_enhancer
from mmllie.testing.hosts import distiller_cfg
from mmllie.testing.tools import free_port


def test_ddp_runs_the_distiller_step():
    """EnhancerDistributedDataParallel uses the distiller's own step."""
    init_default_scope('mmseg')
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{free_port()}',
        rank=0,
        world_size=1)
    try:
        model = MODELS.build(distiller_cfg('mmseg'))
        recognizer = {
            k: v.clone()
            for k, v in model.state_dict().items() if '.enhancer.' not in k
        }
        ddp = EnhancerDistributedDataParallel(model)
        enhancer = get_enhancer(ddp)
        before = copy.deepcopy(enhancer.state_dict())
        optim = OptimWrapper(
            torch.optim.Adam(enhancer.parameters(), lr=1e-3, eps=1e-16))
        meta = dict(img_shape=(24, 32), ori_shape=(24, 32))
        data = dict(  # no labels
            inputs=[torch.randint(0, 255, (3, 24, 32), dtype=torch.uint8)] * 2,
            data_samples=[SegDataSample(metainfo=meta) for _ in range(2)])
        ddp.train()
        for _ in range(2):
            log = ddp.train_step(data, optim)
        assert 'loss_distill' in log and 'decode.loss_ce' not in log
        gem_head = 'gem.head.weight'
        assert not torch.equal(enhancer.state_dict()[gem_head],
                               before[gem_head])
        after = model.state_dict()
        for key, value in recognizer.items():
            assert torch.equal(after[key], value), key
    finally:
        dist.destroy_process_group()
