"""Outputs are checked before anything is written."""
import pytest

from mmllie.apis.media_io import check_outputs


def test_two_inputs_to_one_output_are_refused(tmp_path):
    ins = [str(tmp_path / 'x.jpg'), str(tmp_path / 'x.png')]
    outs = [str(tmp_path / 'out' / 'x.png')] * 2
    with pytest.raises(
            FileExistsError,
            match='x.jpg and .*x.png would both be written'
            ' to .*out/x.png'):
        check_outputs(outs, ins, overwrite=True)
    check_outputs([outs[0], str(tmp_path / 'out' / 'y.png')], ins, False)
