"""xlsx.Package: each part of a package inflated in one call reads as ZipFile reads it, and a part
that is damaged, lies about its size or its name, or is not deflated is left to ZipFile, which says
what is wrong (the readers turn that into the clerk's reason)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest

from pipelines.formats.xlsx import Package


def _workbook(rows: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chỉ tiêu"
    for row in range(1, rows + 1):
        sheet.append([f"CT{row:03d}", "Tỷ lệ hồ sơ trực tuyến", row * 0.5, "≥ 80 %"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _package(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED, level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _local_header(data: bytes, name: str) -> int:
    return zipfile.ZipFile(io.BytesIO(data)).getinfo(name).header_offset


@pytest.mark.parametrize("rows", [1, 60, 2_000])
def test_every_part_of_a_workbook_reads_as_zipfile_reads_it(rows):
    data = _workbook(rows)
    plain, fast = zipfile.ZipFile(io.BytesIO(data)), Package(data)
    assert fast.namelist() == plain.namelist()
    for name in plain.namelist():
        assert fast.read(name) == plain.read(name), name
        assert fast.read(plain.getinfo(name)) == plain.read(name), name


@pytest.mark.parametrize("level", [0, 1, 9])
def test_parts_stored_or_deflated_at_any_level_read_alike(level):
    xml = "<row>Tỷ lệ đạt ≥ 80 %</row>".encode() * 500
    compression = zipfile.ZIP_STORED if level == 0 else zipfile.ZIP_DEFLATED
    data = _package({"xl/workbook.xml": xml, "xl/empty.xml": b""}, compression, level)
    assert Package(data).read("xl/workbook.xml") == xml
    assert Package(data).read("xl/empty.xml") == b""


def test_a_damaged_deflate_stream_raises_as_zipfile_does():
    xml = b"<sheetData>" + b"<row><c><v>1</v></c></row>" * 400 + b"</sheetData>"
    data = bytearray(_package({"xl/worksheets/sheet1.xml": xml}))
    start = _local_header(bytes(data), "xl/worksheets/sheet1.xml") + 30 + len("xl/worksheets/sheet1.xml")
    data[start + 5 : start + 40] = b"\xff" * 35  # the middle of the compressed stream garbled
    with pytest.raises((zlib.error, zipfile.BadZipFile)):
        zipfile.ZipFile(io.BytesIO(bytes(data))).read("xl/worksheets/sheet1.xml")
    with pytest.raises((zlib.error, zipfile.BadZipFile)):
        Package(bytes(data)).read("xl/worksheets/sheet1.xml")


def _with_declared_size(data: bytes, name: str, size: int) -> bytes:
    """A one-part package with its central directory declaring `size` bytes for `name` (a bomb's lie)."""
    entry = data.index(b"PK\x01\x02")
    assert data[entry + 46 : entry + 46 + len(name)] == name.encode()
    patched = bytearray(data)
    patched[entry + 24 : entry + 28] = struct.pack("<I", size)  # its uncompressed size
    return bytes(patched)


def test_a_part_larger_than_it_declares_is_never_returned_cut():
    xml = b"<v>0</v>" * 20_000  # 160,000 bytes, declared as 1,000
    data = _with_declared_size(_package({"xl/sharedStrings.xml": xml}), "xl/sharedStrings.xml", 1_000)
    with pytest.raises(zipfile.BadZipFile):
        Package(data).read("xl/sharedStrings.xml")


def test_a_local_header_naming_another_part_raises_as_zipfile_does():
    data = _package({"xl/styles.xml": b"<styleSheet/>" * 50})
    start = _local_header(data, "xl/styles.xml") + 30
    patched = data[:start] + b"xl/stylez.xml" + data[start + len("xl/styles.xml") :]
    with pytest.raises(zipfile.BadZipFile, match="differ"):
        Package(patched).read("xl/styles.xml")
