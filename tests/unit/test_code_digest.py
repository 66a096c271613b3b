"""A digest of files depends on their names and bytes, not on where they are or the order given."""

from pipelines.code_digest import digest_files, digest_folder


def test_the_same_files_anywhere_give_the_same_digest_and_a_changed_byte_another(tmp_path):
    for place in ("one", "two"):
        (tmp_path / place / "sub").mkdir(parents=True)
        (tmp_path / place / "a.py").write_text("x = 1\n", encoding="utf-8")
        (tmp_path / place / "sub" / "b.py").write_text("y = 2\n", encoding="utf-8")
        (tmp_path / place / "notes.txt").write_text(place, encoding="utf-8")  # not code
    one, two = tmp_path / "one", tmp_path / "two"
    assert digest_folder(one) == digest_folder(two)
    files = [("a.py", one / "a.py"), ("sub/b.py", one / "sub" / "b.py")]
    assert digest_files(files) == digest_files(files[::-1]) == digest_folder(one)
    (two / "sub" / "b.py").write_text("y = 3\n", encoding="utf-8")
    assert digest_folder(one) != digest_folder(two)
    # a file moved is another digest, though its bytes are the same
    assert digest_files([("a.py", one / "a.py")]) != digest_files([("c.py", one / "a.py")])
