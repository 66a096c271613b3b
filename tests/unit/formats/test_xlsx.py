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


# a central directory entry's fields: (offset, format)
_CENTRAL = {"flags": (8, "<H"), "crc": (16, "<I"), "size": (24, "<I")}


def _with_central(data: bytes, name: str, **fields: int) -> bytes:
    """A one-part package with fields of its central directory entry for `name` changed (a lie)."""
    entry = data.index(b"PK\x01\x02")
    assert data[entry + 46 : entry + 46 + len(name)] == name.encode()
    patched = bytearray(data)
    for field, value in fields.items():
        offset, layout = _CENTRAL[field]
        patched[entry + offset : entry + offset + struct.calcsize(layout)] = struct.pack(layout, value)
    return bytes(patched)


XML = b"<v>0</v>" * 20_000  # 160,000 bytes


def _outcome(read, name: str) -> bytes | type:
    try:
        return read(name)
    except Exception as error:  # what is raised, by type: the readers turn it into the clerk's reason
        return type(error)


def _reads_as_zipfile_does(data: bytes, name: str) -> bytes | type:
    """What reading `name` gives (its bytes, or the type of what is raised): the same from Package as
    from ZipFile."""
    plain = _outcome(zipfile.ZipFile(io.BytesIO(data)).read, name)
    assert _outcome(Package(data).read, name) == plain
    return plain


def test_healthy_parts_are_inflated_without_zipfile_streaming_them(monkeypatch):
    data = _workbook(60)
    expected = {
        name: zipfile.ZipFile(io.BytesIO(data)).read(name)
        for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
    }

    def refused(*_args, **_kwargs):
        raise AssertionError("ZipFile.open: the part was not inflated in one call")

    monkeypatch.setattr(zipfile.ZipFile, "open", refused)
    package = Package(data)
    assert {name: package.read(name) for name in expected} == expected


def test_parts_whose_directory_lies_read_as_zipfile_reads_them():
    """Each lie a damaged or hostile package can tell of a part, with what ZipFile makes of it."""
    data = _package({"xl/sharedStrings.xml": XML})
    name = "xl/sharedStrings.xml"
    assert _reads_as_zipfile_does(_with_central(data, name, crc=12_345), name) is zipfile.BadZipFile
    # declared as 1,000 bytes: ZipFile stops there and the CRC is of all of it
    cut = _with_central(data, name, size=1_000)
    assert _reads_as_zipfile_does(cut, name) is zipfile.BadZipFile
    # ... and with the CRC of those 1,000 bytes, ZipFile gives them: so does Package
    assert _reads_as_zipfile_does(_with_central(cut, name, crc=zlib.crc32(XML[:1_000])), name) == XML[:1_000]
    # ... with the CRC of 1,001 of them, ZipFile refuses: so does Package, which inflated 1,001
    one_more = _with_central(cut, name, crc=zlib.crc32(XML[:1_001]))
    assert _reads_as_zipfile_does(one_more, name) is zipfile.BadZipFile
    # declared larger than it is: ZipFile gives what there is, its CRC right
    assert _reads_as_zipfile_does(_with_central(data, name, size=200_000), name) == XML


@pytest.mark.parametrize("flag", [0x20, 0x40])
def test_patched_or_strongly_encrypted_parts_raise_as_zipfile_does(flag):
    data = _with_central(_package({"xl/styles.xml": XML}), "xl/styles.xml", flags=flag)
    assert _reads_as_zipfile_does(data, "xl/styles.xml") is NotImplementedError


def test_a_closed_package_is_not_read():
    package = Package(_package({"xl/styles.xml": XML}))
    package.close()
    with pytest.raises(ValueError, match="closed"):
        package.read("xl/styles.xml")


def test_a_local_header_naming_another_part_raises_as_zipfile_does():
    data = _package({"xl/styles.xml": b"<styleSheet/>" * 50})
    start = _local_header(data, "xl/styles.xml") + 30
    patched = data[:start] + b"xl/stylez.xml" + data[start + len("xl/styles.xml") :]
    with pytest.raises(zipfile.BadZipFile, match="differ"):
        Package(patched).read("xl/styles.xml")
