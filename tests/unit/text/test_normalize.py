import unicodedata

from pipelines.text.normalize import clean_text, fold, match_key, nfc


def test_nfc_joins_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Sở Nội vụ")
    assert decomposed != "Sở Nội vụ"
    assert nfc(decomposed) == "Sở Nội vụ"


def test_clean_text_drops_tags_and_markdown_from_pdf_extracts():
    assert clean_text("<b>II Cải cách thủ tục hành chính</b>") == "II Cải cách thủ tục hành chính"
    assert clean_text("#### **1.1. Mục tiêu**") == "1.1. Mục tiêu"
    assert clean_text("<ul><li>Sở Nội vụ</li>\n<li>Sở Tư pháp</li></ul>") == "Sở Nội vụ Sở Tư pháp"


def test_fold_removes_tones_and_reads_every_d_variant():
    assert fold("Đồng Nai") == "dong nai"
    assert fold("Ðồng Nai") == "dong nai"  # Icelandic eth, as OCR writes it
    assert fold("Uỷ ban") == fold("Ủy ban") == "uy ban"  # old and new tone placement


def test_match_key_expands_abbreviations_and_ignores_punctuation():
    assert match_key("VP UBND tỉnh") == match_key("Văn phòng Ủy ban nhân dân tỉnh")
    assert match_key("Sở TT&TT") == match_key("Sở TT & TT") == "so tt va tt"
    assert match_key("Phòng Văn hóa – Xã hội") == match_key("Phòng Văn hóa-Xã hội")
    assert match_key(unicodedata.normalize("NFD", "Sở Tư pháp")) == "so tu phap"
