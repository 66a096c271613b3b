"""The compiled part of the project: the worksheet XML scanner (pipelines/formats/_sheet_xml.c).
Everything else is declared in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "pipelines.formats._sheet_xml",
            ["pipelines/formats/_sheet_xml.c"],
            extra_compile_args=["-O2", "-Wall", "-Werror"],
        )
    ]
)
