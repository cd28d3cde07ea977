"""Saves that lose nothing and leak nothing: atomic files and folders, kills, full disks,
permissions, owners, links, concurrent writers and stale temporaries."""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import refgraph as rg
from refgraph import _files
from refgraph._files import atomic_folder, atomic_write
from refgraph.errors import StorageError
from refgraph.io import load, save
from refgraph.io.csv import read_csv, write_csv


def _net(n: int, tag: str = "c") -> rg.Network:
    net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me")])
    for k in range(n):
        net.add(rg.Contact(id=f"{tag}{k}", name=f"Contact {k}", notes="n" * 50))
        net.add(rg.Relationship(source="me", target=f"{tag}{k}", kind="friend", trust=0.5))
    return net


# -- kill -9 during a save ------------------------------------------------------------------------
_CHILD = textwrap.dedent("""
    import sys
    import refgraph as rg
    kind, path = sys.argv[1], sys.argv[2]
    nets = []
    for n in (5, 400):
        net = rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me")])
        for k in range(n):
            net.add(rg.Contact(id=f"c{k}", name=f"Contact {k}", notes="n" * 50))
        nets.append(net)
    write = rg.write_csv if kind == "write_csv" else rg.save
    write(nets[0], path)
    print("ready", flush=True)
    k = 1
    while True:
        write(nets[k % 2], path, overwrite=True)
        k += 1
""")


def _kill_loop(kind: str, runs: int, tmp_path: Path) -> list[int]:
    """Kill a process saving two networks in turn at a random moment; each time, read what is left."""
    path = tmp_path / _NAMES[kind]
    rng = random.Random(23)
    sizes = []
    for _ in range(runs):
        child = subprocess.Popen([sys.executable, "-c", _CHILD, kind, str(path)], stdout=subprocess.PIPE)
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        net = read_csv(path) if kind == "write_csv" else load(path)
        sizes.append(len(net.contacts))
    assert set(sizes) <= {6, 401}
    stale = [p.name for p in tmp_path.iterdir() if p.name.endswith(".refgraph-tmp")]
    assert len(stale) <= 1  # at most the temporary of the last kill ...
    (write_csv if kind == "write_csv" else save)(_net(1), path, overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # ... which the next save removes
    return sizes


_NAMES = {"save": "net.json", "write_csv": "net", "parquet": "net.parquet"}


@pytest.mark.parametrize("kind", sorted(_NAMES))
def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_copy(kind: str, tmp_path: Path) -> None:
    _kill_loop(kind, 4, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(_NAMES))
def test_fifty_kills_during_saves_leave_the_old_or_the_new_copy(kind: str, tmp_path: Path) -> None:
    sizes = _kill_loop(kind, 50, tmp_path)
    print(f"{kind}: 50 kills, {sizes.count(6)} old copies, {sizes.count(401)} new")


# -- a full disk ----------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs where the test may mount one (root on Linux); else the test is skipped."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("no tmpfs to mount here; test_storage.py simulates ENOSPC instead")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip("cannot mount a tmpfs here; test_storage.py simulates ENOSPC instead")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("kind", sorted(_NAMES))
def test_a_full_disk_leaves_the_old_copy_and_no_temporary(kind: str, small_disk: Path) -> None:
    path = small_disk / _NAMES[kind]
    write = write_csv if kind == "write_csv" else save
    write(_net(3), path)
    with pytest.raises(StorageError, match="No space left on device"):
        write(_net(60_000 if kind == "parquet" else 3000), path, overwrite=True)  # Parquet compresses well
    assert len((read_csv if kind == "write_csv" else load)(path).contacts) == 4
    assert [p.name for p in small_disk.iterdir()] == [path.name]


# -- two writers ----------------------------------------------------------------------------------
_WRITER = textwrap.dedent("""
    import sys
    import refgraph as rg
    from refgraph.errors import StorageError
    path, tag, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    refused = 0
    for k in range(rounds):
        while True:
            net = rg.load(path)
            net.add(rg.Contact(id=f"{tag}{k}", name=f"{tag} {k}"))
            try:
                net.save(path)
                break
            except StorageError as err:
                assert "changed since it was read" in str(err)
                refused += 1
    print(refused)
""")


def _two_writers(rounds: int, tmp_path: Path) -> int:
    path = tmp_path / "net.json"
    save(rg.Network(owner="me", contacts=[rg.Contact(id="me", name="Me")]), path)
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), tag, str(rounds)], stdout=subprocess.PIPE,
                                text=True) for tag in ("a", "b")]
    refused = sum(int(w.communicate(timeout=300)[0]) for w in writers)
    assert all(w.returncode == 0 for w in writers)
    kept = set(load(path).contacts)
    assert kept == {"me"} | {f"{tag}{k}" for tag in "ab" for k in range(rounds)}
    return refused


def test_two_processes_loading_adding_and_saving_lose_nothing(tmp_path: Path) -> None:
    _two_writers(8, tmp_path)


@pytest.mark.slow
def test_two_processes_fifty_rounds_each_lose_nothing(tmp_path: Path) -> None:
    print(f"2 x 50 rounds: {_two_writers(50, tmp_path)} saves refused and redone, none lost")


def test_a_save_over_a_file_changed_since_it_was_loaded_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    save(_net(2), path)
    first, second = load(path), load(path)
    first.add(rg.Contact(id="ana", name="Ana"))
    first.save(path)
    second.add(rg.Contact(id="ben", name="Ben"))
    with pytest.raises(StorageError, match="net.json: changed since it was read.*overwrite=True"):
        second.save(path)
    assert "ana" in load(path).contacts
    second.save(path, overwrite=True)
    assert "ben" in load(path).contacts and "ana" not in load(path).contacts
    first.add(rg.Contact(id="cy", name="Cy"))
    with pytest.raises(StorageError, match="changed since"):
        first.save(path)
    second.add(rg.Contact(id="di", name="Di"))
    second.save(path)  # its own save is not a change made by someone else
    second.save(tmp_path / "elsewhere.json")


def test_a_csv_folder_changed_since_it_was_written_is_not_replaced(tmp_path: Path) -> None:
    net = _net(2)
    write_csv(net, tmp_path / "net")
    write_csv(net, tmp_path / "net")
    (tmp_path / "net" / "contacts.csv").write_text("id,name\r\nme,Me\r\n", encoding="utf-8")
    with pytest.raises(StorageError, match="changed since"):
        write_csv(net, tmp_path / "net")
    write_csv(net, tmp_path / "net", overwrite=True)
    assert len(read_csv(tmp_path / "net").contacts) == 3


# -- folders --------------------------------------------------------------------------------------
def test_a_folder_is_swapped_whole_keeping_other_files_modes_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "net"
    write_csv(_net(2), folder)
    (folder / "my notes.txt").write_text("mine", encoding="utf-8")
    (folder / "contacts.csv").chmod(0o600)
    folder.chmod(0o750)
    write_csv(_net(5), folder)
    assert (folder / "my notes.txt").read_text(encoding="utf-8") == "mine"
    assert stat.S_IMODE((folder / "contacts.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    assert len(read_csv(folder).contacts) == 6 and os.listdir(tmp_path) == ["net"]


@pytest.mark.parametrize("step", ["write", "settle", "swap"])
def test_a_folder_save_failing_at_any_step_leaves_the_old_folder(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "net"
    write_csv(_net(2), folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    if step == "write":
        with pytest.raises(StorageError, match="No space"):
            atomic_folder(folder, fail)
    else:
        monkeypatch.setattr(_files, f"_{step}", fail)
        with pytest.raises(StorageError, match="No space"):
            write_csv(_net(5), folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before and os.listdir(tmp_path) == ["net"]


def test_without_an_atomic_exchange_the_folder_is_still_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_files, "_exchange", lambda a, b: False)
    write_csv(_net(2), tmp_path / "net")
    write_csv(_net(4), tmp_path / "net")
    assert len(read_csv(tmp_path / "net").contacts) == 5 and os.listdir(tmp_path) == ["net"]


# -- permissions, owners, links -------------------------------------------------------------------
def test_the_temporary_file_never_has_more_permissions_than_the_target(tmp_path: Path) -> None:
    path = tmp_path / "secret.json"
    path.write_bytes(b"{}")
    path.chmod(0o600)
    seen: list[int] = []

    def write(fh: object) -> None:
        temporary = [p for p in tmp_path.iterdir() if p.name != "secret.json"]
        seen.extend(stat.S_IMODE(p.stat().st_mode) for p in temporary)

    old = os.umask(0o002)
    try:
        atomic_write(path, write)  # type: ignore[arg-type]
    finally:
        os.umask(old)
    assert seen == [0o600] and stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing owners needs root")
def test_a_shared_file_keeps_its_owner_and_group(tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    save(_net(1), path)
    os.chown(path, 1234, 5678)
    path.chmod(0o660)
    save(_net(2), path, overwrite=True)
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 5678, 0o660)
    write_csv(_net(1), tmp_path / "net")
    os.chown(tmp_path / "net" / "contacts.csv", 1234, 5678)
    write_csv(_net(2), tmp_path / "net")
    assert (tmp_path / "net" / "contacts.csv").stat().st_uid == 1234


def test_saving_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    save(_net(1), tmp_path / "real" / "net.json")
    (tmp_path / "link.json").symlink_to(tmp_path / "real" / "net.json")
    save(_net(3), tmp_path / "link.json")
    assert (tmp_path / "link.json").is_symlink()
    assert len(load(tmp_path / "real" / "net.json").contacts) == 4
    write_csv(_net(1), tmp_path / "real" / "folder")
    (tmp_path / "folder").symlink_to(tmp_path / "real" / "folder")
    write_csv(_net(3), tmp_path / "folder")
    assert (tmp_path / "folder").is_symlink() and len(read_csv(tmp_path / "real" / "folder").contacts) == 4


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_device_is_refused_not_replaced(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(StorageError, match="pipe.json: cannot write \\(a FIFO"):
        save(_net(1), tmp_path / "pipe.json")
    assert stat.S_ISFIFO(os.stat(tmp_path / "pipe.json").st_mode)
    with pytest.raises(StorageError, match="a device"):
        save(_net(1), "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_file_name_of_255_bytes_can_be_saved(tmp_path: Path) -> None:
    path = tmp_path / ("é" * 125 + ".json")
    assert len(os.fsencode(path.name)) == 255
    save(_net(1), path)
    assert len(load(path).contacts) == 2 and os.listdir(tmp_path) == [path.name]


def test_temporaries_of_killed_saves_are_removed_by_the_next_save(tmp_path: Path) -> None:
    save(_net(1), tmp_path / "net.json")
    stale = [tmp_path / f".net.json.{uuid.uuid4().hex[:12]}.refgraph-tmp", tmp_path / ".net.abc.refgraph-tmp"]
    stale[0].write_bytes(b"x" * 1000)
    stale[1].mkdir()
    (stale[1] / "contacts.csv").write_text("half")
    (tmp_path / "keep.tmp").write_text("not ours")
    save(_net(2), tmp_path / "net.json", overwrite=True)
    assert sorted(os.listdir(tmp_path)) == ["keep.tmp", "net.json"]




def test_a_csv_folder_read_with_read_network_is_not_replaced_once_changed(tmp_path: Path) -> None:
    folder = tmp_path / "net"
    write_csv(_net(2), folder)
    first, second = rg.read_network(folder), rg.read_network(folder)
    first.add(rg.Contact(id="ana", name="Ana"))
    write_csv(first, folder)
    second.add(rg.Contact(id="ben", name="Ben"))
    with pytest.raises(StorageError, match="changed since it was read"):
        write_csv(second, folder)
    assert "ana" in read_csv(folder).contacts


def test_a_folder_saved_from_inside_it_stays_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_csv(_net(1), tmp_path / "net")
    monkeypatch.chdir(tmp_path / "net")
    write_csv(_net(3), ".")
    assert os.path.samefile(os.getcwd(), tmp_path / "net") and len(read_csv(".").contacts) == 4
