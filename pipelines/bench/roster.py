"""A synthetic national roster, kept apart from the real registry: a copy of every seed, with agencies,
roles, indicators and reporting obligations added for the benchmark.

Since July 2025 every commune and ward reports straight to its province: 34 provinces, each with its
People's Committee, its departments (sở) and about a hundred communes and wards. Keys carry `bench_`,
notes say "synthetic", and the set lives in the workload folder: `cchc bench run` points CCHC_SEEDS at
it, so the parsers and dbt read it there and the real seeds never see it.
"""

from __future__ import annotations

import csv
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipelines.text.reference import read_seed

SYNTHETIC = "synthetic: cchc bench roster"
# departments of a province, by the roles the real registry already knows
DEPARTMENT_ROLES = (
    "van_phong_ubnd_tinh",
    "so_noi_vu",
    "so_tu_phap",
    "so_tai_chinh",
    "so_xay_dung",
    "so_y_te",
    "so_giao_duc_dao_tao",
    "so_nong_nghiep_moi_truong",
    "so_van_hoa_the_thao_du_lich",
    "so_khoa_hoc_cong_nghe",
)
COMMUNE_ROLES = {"bench_ubnd_xa": "Ủy ban nhân dân xã", "bench_ubnd_phuong": "Ủy ban nhân dân phường"}
# synthetic indicators beside the real catalog, so a report has ~60 rows as national reports do
EXTRA_INDICATORS = 15
_SYLLABLES = [
    "An",
    "Bình",
    "Phú",
    "Tân",
    "Hòa",
    "Long",
    "Thạnh",
    "Mỹ",
    "Phước",
    "Hưng",
    "Thuận",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Sơn",
    "Hải",
    "Lộc",
    "Thành",
    "Xuân",
    "Thới",
    "Vĩnh",
    "Hiệp",
    "Quang",
    "Minh",
    "Phong",
    "Định",
    "Lợi",
    "Khánh",
    "Hội",
    "Lạc",
    "Điền",
    "Yên",
    "Nghĩa",
    "Đức",
    "Tiến",
    "Thắng",
]


@dataclass(frozen=True)
class Agency:
    key: str
    name: str
    role_code: str
    province_code: str
    parent_key: str
    level: str  # province, department or commune


def provinces() -> list[tuple[str, str]]:
    """The 34 provinces of today (code, name), from the real seed."""
    return [
        (row["province_code"], row["province_name_vi"])
        for row in read_seed("provinces")
        if not row["valid_to"]
    ]


def national_roster(agencies: int, rng: random.Random) -> list[Agency]:
    """About `agencies` agencies over as many of the 34 provinces as they fill (a dozen each at least):
    each province's People's Committee, up to ten departments, then communes and wards."""
    all_provinces = provinces()
    count = max(1, min(len(all_provinces), agencies // 12))
    roles = {row["role_code"]: row["role_name_vi"] for row in read_seed("agency_roles")}
    roster: list[Agency] = []
    for index, (code, name) in enumerate(all_provinces[:count]):
        share = agencies // count + (1 if index < agencies % count else 0)
        ubnd = f"{code}.bench_ubnd"
        roster.append(Agency(ubnd, f"Ủy ban nhân dân tỉnh {name}", "ubnd_tinh", code, "", "province"))
        departments = DEPARTMENT_ROLES[: max(0, share - 2)]
        for role in departments:
            roster.append(
                Agency(f"{code}.bench_{role}", f"{roles[role]} tỉnh {name}", role, code, ubnd, "department")
            )
        names: set[str] = set()
        while len(names) < share - 1 - len(departments):
            names.add(" ".join(rng.sample(_SYLLABLES, 2)))
        for number, commune in enumerate(sorted(names), start=1):
            role = "bench_ubnd_phuong" if number % 3 == 0 else "bench_ubnd_xa"
            roster.append(
                Agency(
                    f"{code}.bench_xa_{number:03d}",
                    f"{COMMUNE_ROLES[role]} {commune}",
                    role,
                    code,
                    ubnd,
                    "commune",
                )
            )
    return roster


def extra_indicators() -> list[dict[str, str]]:
    """Synthetic percent indicators, each under a real area and sub-area (cycled through the catalog)."""
    real = [row for row in read_seed("indicators") if row["sub_area_code"]]
    return [
        {
            **dict.fromkeys(real[0], ""),
            "indicator_code": f"bench_indicator_{number:02d}",
            "indicator_name_vi": f"Chỉ tiêu tổng hợp thử nghiệm số {number}",
            "indicator_name_en": f"Synthetic benchmark indicator {number}",
            "unit": "percent",
            "area_code": real[number % len(real)]["area_code"],
            "sub_area_code": real[number % len(real)]["sub_area_code"],
            "is_rate": "true",
            "direction": "higher",
            "source": SYNTHETIC,
        }
        for number in range(1, EXTRA_INDICATORS + 1)
    ]


def append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Add rows to a seed CSV in its own column order; a column a row leaves out is empty."""
    with path.open(encoding="utf-8", newline="") as handle:
        columns = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writerows({name: row.get(name, "") for name in columns} for row in rows)


def write_seeds(real_seeds: Path, target: Path, roster: list[Agency], first_year: int) -> None:
    """Copy every real seed into `target`, then add the roster, its roles, the synthetic indicators and
    the obligation of each benchmark province's departments and communes to report."""
    shutil.copytree(real_seeds, target, dirs_exist_ok=True)
    append_rows(
        target / "agency_roles.csv",
        [
            {"role_code": code, "role_name_vi": name, "level": "commune", "is_group": "false"}
            for code, name in COMMUNE_ROLES.items()
        ],
    )
    append_rows(
        target / "agencies.csv",
        [
            {
                "agency_key": agency.key,
                "valid_from": f"{first_year}-01-01",
                "agency_name_vi": agency.name,
                "role_code": agency.role_code,
                "province_code": agency.province_code,
                "parent_agency_key": agency.parent_key,
                "note": SYNTHETIC,
            }
            for agency in roster
        ],
    )
    append_rows(target / "indicators.csv", extra_indicators())
    obliged = {row["province_code"] for row in read_seed("report_obligations")}
    append_rows(
        target / "report_obligations.csv",
        [
            {"province_code": code, "agency_level": level, "first_year": str(first_year), "source": SYNTHETIC}
            for code in sorted({agency.province_code for agency in roster} - obliged)
            for level in ("department", "commune")
        ],
    )
