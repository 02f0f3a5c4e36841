"""Accounts: validation, password rules, and that a password change ends old sessions."""
from __future__ import annotations

import pytest

from bdgtrain.errors import DomainError
from bdgtrain.services.accounts import accounts
from tests import factories as make


def test_roles_other_than_admin_need_an_organisation(app):
    with pytest.raises(DomainError) as refused:
        accounts.create_user(None, accounts.UserInput(email="a@b.vn", role="monitor"), "mot-mat-khau-dai")
    assert refused.value.field == "organisation_id"


@pytest.mark.parametrize("email", ["khong-phai-email", "a@", "@b.vn", "a b@c.vn"])
def test_malformed_email_is_refused(app, email):
    with pytest.raises(DomainError) as refused:
        accounts.create_user(None, accounts.UserInput(email=email, role="admin"), "mot-mat-khau-dai")
    assert refused.value.code == "user.bad_email"


def test_short_password_and_duplicate_email_are_refused(app):
    with pytest.raises(DomainError) as refused:
        accounts.create_user(None, accounts.UserInput(email="a@b.vn", role="admin"), "ngan")
    assert refused.value.code == "user.weak_password"
    make.user("a@b.vn", "admin")
    with pytest.raises(DomainError) as refused:
        accounts.create_user(None, accounts.UserInput(email="A@B.VN", role="admin"), "mot-mat-khau-dai")
    assert refused.value.code == "user.duplicate_email"


def test_authenticate_refuses_wrong_password_and_disabled_accounts(app):
    user = make.user("a@b.vn", "admin")
    assert accounts.authenticate("A@b.vn", make.PASSWORD) is user
    assert accounts.authenticate("a@b.vn", "sai-mat-khau") is None
    user.is_active_account = False
    assert accounts.authenticate("a@b.vn", make.PASSWORD) is None


def test_changing_the_password_invalidates_the_old_session_id(app):
    from bdgtrain.services.accounts import login_sessions

    user = make.user("a@b.vn", "admin")
    login_sessions.start(user, "")
    old = user.get_id()
    assert login_sessions.load_user(old) is user
    accounts.set_password(None, user, "mat-khau-moi-dai-hon")
    assert login_sessions.load_user(old) is None
    assert login_sessions.load_user(user.get_id()) is user


def test_admin_cannot_lock_themselves_out(app):
    admin = make.user("a@b.vn", "admin")
    with pytest.raises(DomainError) as refused:
        accounts.update_user(admin, admin, accounts.UserInput(email="a@b.vn", role="admin",
                                                              is_active_account=False))
    assert refused.value.code == "user.self_lockout"
