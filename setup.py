"""The compiled part of the project: the worksheet XML scanner (pipelines/formats/_sheet_xml.c).
Everything else is declared in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "pipelines.formats._sheet_xml",
            ["pipelines/formats/_sheet_xml.c"],
            # warnings shown, not fatal: a newer gcc on a new machine must still build the .venv
            extra_compile_args=["-Wall"],
        )
    ]
)
