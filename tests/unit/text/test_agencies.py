"""Agency names as they appear in the seed plans (tests/fixtures/plans), resolved in context."""

from datetime import date

import pytest

from pipelines.text.agencies import Status, resolve_agency

WARD = "dong_nai.ubnd_phuong_chon_thanh"
BQL = "dong_nai.bql_cac_kcn"


@pytest.mark.parametrize(
    ("raw", "context", "expected"),
    [
        ("Sở Thông tin và Truyền thông", {"province": "dong_nai"}, "dong_nai.so_thong_tin_truyen_thong"),
        ("Sở TT&TT", {"province": "dong_nai", "on": date(2024, 6, 30)}, "dong_nai.so_thong_tin_truyen_thong"),
        ("Văn phòng UBND tỉnh.", {"province": "dong_nai"}, "dong_nai.van_phong_ubnd"),
        ("VP UBND tỉnh", {"province": "dong_nai"}, "dong_nai.van_phong_ubnd"),
        (
            "Sở Kế hoạch và Đầu tư",
            {"province": "dong_nai", "on": date(2024, 1, 1)},
            "dong_nai.so_ke_hoach_dau_tu",
        ),
        ("Đài PT-TH Đồng Nai", {}, "dong_nai.dai_ptth"),
        ("Ban Quản lý các KCN Đông Nai", {}, BQL),  # OCR dropped the tone on "Đồng"
        ("Sở Nội vụ tỉnh Quảng Bình", {}, "quang_binh.so_noi_vu"),
        ("Văn phòng", {"issuer": BQL}, "dong_nai.bql_cac_kcn.van_phong"),
        ("Lãnh đạo Ban", {"issuer": BQL}, BQL),
        ("Phòng Văn hóa – Xã hội", {"issuer": WARD}, f"{WARD}.phong_van_hoa_xa_hoi"),
        ("Phòng Văn hóa-Xã hội", {"issuer": WARD}, f"{WARD}.phong_van_hoa_xa_hoi"),
        ("Văn phòng HĐND và UBND", {"issuer": WARD}, f"{WARD}.van_phong"),
        ("Trung tâm Phục vụ hành chính công", {"issuer": WARD}, f"{WARD}.trung_tam_phuc_vu_hcc"),
        ("Trung tâm Phục vụ HCC", {"province": "dong_nai"}, "dong_nai.trung_tam_hcc"),
        (
            "UBND huyện Chơn Thành",
            {"province": "binh_phuoc", "on": date(2021, 5, 1)},
            "binh_phuoc.ubnd_chon_thanh",
        ),
    ],
)
def test_resolves_names_written_in_plans(raw, context, expected):
    resolution = resolve_agency(raw, **context)
    assert resolution.status is Status.RESOLVED, resolution
    assert resolution.agency_key == expected


@pytest.mark.parametrize(
    ("raw", "context", "successor"),
    [
        ("Sở TT&TT", {"province": "dong_nai", "on": date(2026, 3, 1)}, "dong_nai.so_khoa_hoc_cong_nghe"),
        ("Sở Kế hoạch và Đầu tư", {"province": "dong_nai", "on": date(2025, 6, 1)}, "dong_nai.so_tai_chinh"),
        ("Sở Nội vụ", {"province": "quang_binh", "on": date(2026, 1, 1)}, "quang_tri.so_noi_vu"),
        # two steps: Quảng Bình's TT&TT → its KH&CN (March 2025) → Quảng Trị's KH&CN (July 2025)
        ("Sở TT&TT", {"province": "quang_binh", "on": date(2026, 1, 1)}, "quang_tri.so_khoa_hoc_cong_nghe"),
        ("thị xã Chơn Thành", {"province": "binh_phuoc", "on": date(2026, 1, 1)}, WARD),
    ],
)
def test_a_ceased_agency_named_later_resolves_to_its_successor(raw, context, successor):
    resolution = resolve_agency(raw, **context)
    assert resolution.status is Status.SUCCESSOR, resolution
    assert resolution.agency_key == successor


@pytest.mark.parametrize(
    ("raw", "group"),
    [
        ("UBND cấp huyện", "nhom_ubnd_cap_huyen"),
        ("UBND các huyện", "nhom_ubnd_cap_huyen"),
        ("Các Sở ngành", "nhom_so_ban_nganh"),
        ("Các sở, ban, ngành", "nhom_so_ban_nganh"),
        ("UBND cấp xã", "nhom_ubnd_cap_xa"),
        ("Các bộ phận chuyên môn", "nhom_don_vi_truc_thuoc"),
    ],
)
def test_collective_references_are_groups_not_agencies(raw, group):
    resolution = resolve_agency(raw, province="dong_nai")
    assert resolution.status is Status.GROUP
    assert resolution.group_role == group
    assert resolution.agency_key is None


def test_same_name_in_several_provinces_is_ambiguous_without_context():
    resolution = resolve_agency("Sở Nội vụ")
    assert resolution.status is Status.AMBIGUOUS
    assert {"dong_nai.so_noi_vu", "quang_binh.so_noi_vu"} <= set(resolution.candidates)


def test_unknown_name_proposes_candidates_instead_of_guessing():
    glued = resolve_agency("Sở Tư pháp UBND tỉnh (trên Công TTTĐT tỉnh)", province="dong_nai")
    assert glued.status is Status.UNKNOWN
    assert glued.agency_key is None
    assert "dong_nai.so_tu_phap" in glued.candidates

    partial = resolve_agency("Sở Giáo dục", province="quang_binh")
    assert partial.status is Status.UNKNOWN
    assert partial.candidates[0] == "quang_binh.so_giao_duc_dao_tao"

    assert resolve_agency("Hợp tác xã Bình Minh").candidates == ()


def test_own_unit_names_need_the_issuer():
    assert resolve_agency("Lãnh đạo Ban").status is Status.UNKNOWN
    assert resolve_agency("Văn phòng", province="dong_nai").agency_key is None
