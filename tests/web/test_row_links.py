"""id_links, id_link_parts and code_links (web/common.py) give each row the link url_for gives it: one url_for
for a page of rows, the row's id or code put in the mark's place and quoted as the rule's converter quotes it."""
from __future__ import annotations

import pytest
from flask import url_for

from bdgtrain.web.common import code_links, id_link_parts, id_links

CODES = ["LOP-3", "Lớp ă", "a/b?c#d%e f", "x&y=z;'()*+,@!$:", "9876543210", "~._-", "<b>\"q\""]


@pytest.mark.parametrize("code", CODES)
def test_a_code_link_is_the_link_url_for_builds(app, code):
    with app.test_request_context():
        assert code_links("plans.view_class", "class_code", code="HT 2019")(code) == url_for(
            "plans.view_class", code="HT 2019", class_code=code)
        assert code_links("orgs.edit_organisation", "code")(code) == url_for("orgs.edit_organisation", code=code)


def test_an_id_link_is_the_link_url_for_builds_in_a_path_or_a_query_even_beside_the_mark(app):
    with app.test_request_context():
        for certificate_id in (1, 42, 9876543210):
            assert id_links("certificates.revoke_certificate", "certificate_id", code="HT", class_code="L")(
                certificate_id) == url_for("certificates.revoke_certificate", code="HT", class_code="L",
                                           certificate_id=certificate_id)
            # a plan coded as the mark: each link is then built whole
            assert id_links("certificates.print_certificates", "id", code="9876543210", class_code="L")(
                certificate_id) == url_for("certificates.print_certificates", code="9876543210", class_code="L",
                                           id=certificate_id)
            assert id_links("orgs.create_organisation", "parent")(certificate_id) == url_for(
                "orgs.create_organisation", parent=certificate_id)


@pytest.mark.parametrize("plan_code", ["HT", "9876543210", "98765432109876543210", "x9876543210987654321098765"])
def test_an_id_link_drawn_around_the_id_is_the_link_url_for_builds_even_when_a_code_holds_the_mark(app, plan_code):
    with app.test_request_context():
        for endpoint, key in (("certificates.revoke_certificate", "certificate_id"),
                              ("certificates.print_certificates", "id")):
            head, tail = id_link_parts(endpoint, key, code=plan_code, class_code="9876543210")
            for certificate_id in (1, 42, 9876543210):
                assert f"{head}{certificate_id}{tail}" == url_for(endpoint, code=plan_code, class_code="9876543210",
                                                                  **{key: certificate_id})
