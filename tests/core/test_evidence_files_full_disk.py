"""An evidence file that does not fit on the uploads volume: a clear refusal
naming the field, and no part of the file left behind."""

import errno
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from qingqian.core import evidence_files, filetypes


def test_a_full_volume_refuses_the_file_and_leaves_no_part_of_it(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    real_write = Path.write_bytes

    def write_half_then_run_out_of_space(path, data):
        real_write(path, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    # The disk (the operating system) is what fails: Path's write, not our code.
    monkeypatch.setattr(Path, "write_bytes", write_half_then_run_out_of_space)
    with pytest.raises(ValidationError) as refused:
        evidence_files.write_file(b"x" * 1000, filetypes.PNG)
    assert "file" in refused.value.message_dict
    assert "no room" in refused.value.message_dict["file"][0]
    assert list(evidence_files.evidence_dir().iterdir()) == []
