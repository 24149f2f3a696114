"""Finding 5: an output file is written whole or not at all, and never after a half-done commit.

A wrong `--out` is refused before the handover is completed (nothing done, no number used);
a full disk after the commit leaves no partial file, and the command says the document is
issued and how to write it again (`certificate pdf`).
"""

from __future__ import annotations

import pytest
from handover_helpers import laptops_request, ready_device, reserve_all_proposals, school
from sqlalchemy import func, select

from app.models import BatchStatus, Counter, Document, HandoverBatch
from app.services import handovers
from app.services.documents import issued


def leftovers(folder) -> list[str]:
    """Every file in `folder` (a partial file or a temporary one would show here)."""
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def scanned_batch(session, technician, manager):
    """A handover batch of two laptops, every device scanned: ready to complete."""
    devices = [ready_device(session, technician, manager, f"OUT-{i}") for i in range(2)]
    request = laptops_request(session, manager, school(session, manager), quantity=2)
    batch = reserve_all_proposals(session, manager, request)
    for d in devices:
        handovers.scan_at_desk(session, technician, batch.id, d.tag)
    return batch


def _complete(run, url, batch, out):
    return run("--database", url, "handover", "complete", batch.number, "--actor", "mia",
               "--labels-removed", "--out", str(out))


def _documents(session) -> int:
    return session.scalar(select(func.count()).select_from(Document))


def test_out_in_a_missing_folder_is_refused_before_the_handover(run, db_url, session, scanned_batch,
                                                                tmp_path):
    result = _complete(run, db_url, scanned_batch, tmp_path / "nonexistent" / "hc.pdf")
    assert result.code == 1
    assert "the folder does not exist" in result.err
    assert "Traceback" not in result.err
    session.expire_all()
    assert session.get(HandoverBatch, scanned_batch.id).status == BatchStatus.OPEN
    assert _documents(session) == 0
    counter = session.get(Counter, "document_handover_certificate")
    assert counter is None or counter.value == 0  # no number was used


def test_out_pointing_to_a_folder_is_refused_before_the_handover(run, db_url, session, scanned_batch,
                                                                 tmp_path):
    result = _complete(run, db_url, scanned_batch, tmp_path)
    assert result.code == 1
    assert "it is a folder" in result.err
    session.expire_all()
    assert session.get(HandoverBatch, scanned_batch.id).status == BatchStatus.OPEN


def test_full_disk_after_the_handover_leaves_no_file_and_says_how_to_write_it_again(
        run, db_url, session, scanned_batch, tmp_path, full_disk):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = _complete(run, db_url, scanned_batch, out_dir / "hc.pdf")
    assert result.code == 1
    assert leftovers(out_dir) == []  # neither a 4 KB PDF nor a temporary file
    session.expire_all()
    assert session.get(HandoverBatch, scanned_batch.id).status == BatchStatus.COMPLETED
    number = session.scalar(select(Document.number))
    assert "the disk is full" in result.err
    assert f"certificate pdf {number} --out" in result.err


def test_the_stored_certificate_is_written_again_after_a_full_disk(run, db_url, session, scanned_batch,
                                                                   tmp_path, monkeypatch):
    from app.services import files

    real_sync = files._sync
    monkeypatch.setattr(files, "_sync", lambda p: (_ for _ in ()).throw(OSError(28, "No space")))
    _complete(run, db_url, scanned_batch, tmp_path / "hc.pdf")
    monkeypatch.setattr(files, "_sync", real_sync)
    number = session.scalar(select(Document.number))
    result = run("--database", db_url, "certificate", "pdf", number, "--out", str(tmp_path / "again.pdf"))
    assert result.code == 0
    assert issued.verify(session, number, (tmp_path / "again.pdf").read_bytes())


@pytest.mark.parametrize("argv", [
    ["export", "assets", "{out}/assets.xlsx"],
    ["export", "assets", "{out}/assets.csv"],
    ["command-sheet", "--out", "{out}/sheet.pdf"],
    ["label", "{tag}", "--out", "{out}/labels.pdf"],
    ["label", "{tag}", "--zpl", "{out}/labels.zpl"],
    ["certificate", "pdf", "{number}", "--out", "{out}/hc.pdf"],
], ids=["xlsx", "csv", "command-sheet", "labels-pdf", "labels-zpl", "certificate-pdf"])
def test_full_disk_leaves_no_partial_file(run, db_url, session, technician, manager, scanned_batch,
                                          tmp_path, monkeypatch, argv):
    document = handovers.complete_handover(session, technician, scanned_batch.id, labels_removed=True)
    tag = session.get(HandoverBatch, scanned_batch.id).items[0].asset.tag
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    from app.services import files

    monkeypatch.setattr(files, "_sync", lambda p: (_ for _ in ()).throw(OSError(28, "No space")))
    args = [a.format(out=out_dir, tag=tag, number=document.number) for a in argv]
    result = run("--database", db_url, *args)
    assert result.code == 1
    assert "the disk is full" in result.err
    assert "Traceback" not in result.err
    assert leftovers(out_dir) == []


def test_a_written_file_gets_the_usual_permissions_not_private_ones(tmp_path):
    import os

    from app.services import files

    mask = os.umask(0o022)
    try:
        path = files.write_bytes(tmp_path / "doc.pdf", b"%PDF-1.7")
    finally:
        os.umask(mask)
    assert path.read_bytes() == b"%PDF-1.7"
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)
