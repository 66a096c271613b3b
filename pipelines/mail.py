"""E-mail through the SMTP server the environment names, for the failure alerts and the clerks' feedback.

Environment: CCHC_SMTP_HOST (no e-mail without it), CCHC_SMTP_PORT (25), CCHC_SMTP_USER and
CCHC_SMTP_PASSWORD (optional, with STARTTLS when CCHC_SMTP_STARTTLS=1), CCHC_ALERT_FROM (the sender).
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path

SMTP_HOST_ENV = "CCHC_SMTP_HOST"
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def configured(environment: Mapping[str, str]) -> bool:
    return bool(environment.get(SMTP_HOST_ENV))


def send(
    subject: str,
    body: str,
    to: str,
    environment: Mapping[str, str],
    attachments: Sequence[Path] = (),
) -> bool:
    """Send the message (with the workbooks attached) when an SMTP host is configured; False when none is."""
    host = environment.get(SMTP_HOST_ENV)
    if not host:
        return False
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = environment.get("CCHC_ALERT_FROM", "cchc-warehouse@localhost")
    message["To"] = to
    message.set_content(body)
    for path in attachments:
        message.add_attachment(path.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=path.name)
    with smtplib.SMTP(host, int(environment.get("CCHC_SMTP_PORT", "25")), timeout=30) as smtp:
        if environment.get("CCHC_SMTP_STARTTLS") == "1":
            smtp.starttls()
        if user := environment.get("CCHC_SMTP_USER"):
            smtp.login(user, environment.get("CCHC_SMTP_PASSWORD", ""))
        smtp.send_message(message)
    return True
