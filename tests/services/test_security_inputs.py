"""Codes are part of URLs: a plan or class code with a slash could be created and never opened."""
from __future__ import annotations

import pytest

from bdgtrain.errors import DomainError
from bdgtrain.services.planning import planning
from tests import factories as make


@pytest.mark.parametrize("code", ["KH/2019", "LOP\\1", "LOP\t1"])
def test_plan_and_class_codes_refuse_slashes_and_control_characters(app, code):
    org = make.org("SLDTBXH")
    with pytest.raises(DomainError) as refused:
        make.plan(org, code=code)
    assert refused.value.code == "code.invalid_characters" and refused.value.field == "code"
    assert "gạch chéo" in refused.value.message
    plan = make.plan(org, code="KH-1")
    with pytest.raises(DomainError):
        make.training_class(plan, code=code)
    cls = make.training_class(plan, code="LOP-1")
    data = planning.ClassInput(code=code, title=cls.title, date_expression=cls.date_expression)
    with pytest.raises(DomainError):
        planning.update_class(None, cls, data)


def test_codes_with_vietnamese_letters_and_dashes_are_fine(app):
    plan = make.plan(make.org("SLDTBXH"), code="KH-ĐẶC BIỆT.2019")
    assert make.training_class(plan, code="LỚP 1").code == "LỚP 1"
