"""What unit and integration tests share: a real SMTP server on 127.0.0.1 that keeps what it receives;
the dbt and quality servers stopped at the end of the run; the collection's imports made as a process
of the platform makes its own (startup); property tests that fail on a value, never on the machine's
load or luck."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from hypothesis import settings

from pipelines.startup import imports_uncollected

# every property test draws the same examples in every run (a counterexample fails every run, and CI
# with it) and has no time limit on one example (a loaded machine stalling one would fail the test)
settings.register_profile("cchc", deadline=None, derandomize=True)
settings.load_profile("cchc")


class Inbox:
    """The messages the server received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp_inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """An SMTP server running for the test, named by CCHC_SMTP_HOST and CCHC_SMTP_PORT as an operator sets
    them; its inbox."""
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    server.start()
    monkeypatch.setenv("CCHC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CCHC_SMTP_PORT", str(server.port))
    try:
        yield inbox
    finally:
        server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Iterator[None]:
    """Collecting imports every test module, and Dagster, dbt's types, polars and the project with them:
    without the collector, then frozen (in each xdist worker), as `cchc` imports the definitions."""
    with imports_uncollected():
        return (yield)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The dbt and quality servers the tests started (each for this code, at its address) are stopped
    at the end of the run, rather than left waiting for their idle time: on a CI machine nothing else
    would call them. The run's controller alone (an xdist worker's session ends first)."""
    if hasattr(session.config, "workerinput"):
        return
    from pipelines.quality.worker import server_address as quality
    from pipelines.warehouse.warm_dbt import server_address as dbt

    addresses = {dbt().encode(), quality().encode()}
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if entry.name.isdigit() and len(command) > 1 and command[-2] in addresses:
                os.kill(int(entry.name), signal.SIGTERM)
        except (OSError, ValueError):
            continue
