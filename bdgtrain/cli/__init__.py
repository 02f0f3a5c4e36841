"""The `flask` commands, one module per area, registered here in one place.

Each command parses its options, calls services, commits (once at its end, like a request, or in
steps that are each whole) and prints; what it prints is Vietnamese, the operators' language.
"""
from __future__ import annotations

from flask import Flask

from .accounts import api_token_group, users_group
from .calendar import calendar_group
from .checkin import checkin_group
from .demo import demo_group
from .feedback import feedback_group
from .lists import lists_group
from .mail import mail_group
from .official_reports import report_group  # `report issue` joins the report group
from .ops import backup, restore
from .orgs import orgs_group
from .plans import plan_group
from .pool import pool_group
from .privacy import privacy_group
from .training_records import COMMANDS as TRAINING_RECORD_COMMANDS

COMMANDS = (checkin_group, api_token_group, pool_group, report_group, calendar_group, mail_group, backup, restore,
            feedback_group, privacy_group, demo_group, users_group, lists_group, orgs_group, plan_group)


def register_cli(app: Flask) -> None:
    for command in TRAINING_RECORD_COMMANDS:  # `pool training-import`, `pool training-template`
        pool_group.add_command(command)
    for command in COMMANDS:
        app.cli.add_command(command)
