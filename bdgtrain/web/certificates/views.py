"""Certificates of completion: the class's list (issue, revoke, re-issue; 100 to a page), printing on A4
and the class's files (PDF, .docx), both in batches (?batch=N), the public verification page a QR code
opens, and a participant's own certificate (page and PDF) from her ticket."""
from __future__ import annotations

from dataclasses import asdict
from typing import Callable, NamedTuple

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ...errors import DomainError
from ...extensions import db
from ...services.certificates import certificate_documents, certificates
from ...services.core import qr
from .. import access_log
from ..common import (
    confirmation_page,
    content_disposition,
    id_link_parts,
    is_confirmed,
    link_base,
    page_arg,
    refused,
)
from ..forms import ConfirmForm
from ..loaders import load_class, load_ticket
from .forms import IssueForm, RevokeForm

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

bp = Blueprint("certificates", __name__)


def _busy() -> None:
    """Nothing of this request is kept (rolled back before the redirect, so nothing half-written is committed)."""
    db.session.rollback()
    flash(_("Giấy chứng nhận của lớp vừa được cấp ở nơi khác cùng lúc; không có gì được ghi. Hãy xem lại danh "
            "sách rồi thử lại."), "warning")


def _back(plan, cls):
    return redirect(url_for("certificates.list_certificates", code=plan.code, class_code=cls.code), 303)


@bp.route("/plans/<code>/classes/<class_code>/certificates")
@login_required
def list_certificates(code, class_code):
    """The class's certificates, 100 to a page, with links to print and download them in batches."""
    plan, cls = load_class(code, class_code, "certificate.view")
    listed = certificates.certificates_page(cls, page_arg())
    page, in_force = listed.page, listed.in_force
    access_log.record_access("certificates.viewed", cls=cls, people_count=len(page.items))
    return render_template("certificates/list.html", plan=plan, cls=cls, page=page, in_force=in_force,
                           print_batches=certificates.batch_count(in_force, certificates.PRINT_BATCH),
                           file_batches=certificates.batch_count(in_force, certificates.FILE_BATCH),
                           print_batch=certificates.PRINT_BATCH, file_batch=certificates.FILE_BATCH,
                           form=ConfirmForm(), **_row_links(plan.code, cls.code))


def _row_links(plan_code: str, class_code: str) -> dict:
    """The links of each row of the list as the text before and after its certificate's id: three url_for
    for the page, not three a row, and no call a row either."""
    where = {"code": plan_code, "class_code": class_code}
    return {"print_link": id_link_parts("certificates.print_certificates", "id", **where),
            "revoke_link": id_link_parts("certificates.revoke_certificate", "certificate_id", **where),
            "reissue_link": id_link_parts("certificates.reissue_certificate", "certificate_id", **where)}


@bp.route("/plans/<code>/classes/<class_code>/certificates/issue", methods=["GET", "POST"])
@login_required
def issue_certificates(code, class_code):
    """The issue form (the day, place and signer the papers print), then a certificate for every completer."""
    plan, cls = load_class(code, class_code, "certificate.manage")
    form = IssueForm(data=asdict(certificates.default_details(cls)) if request.method == "GET" else None)
    context = {"plan": plan, "cls": cls, "last_day": certificates.last_held_day(cls)}
    if not form.validate_on_submit():
        if request.method == "POST":
            return refused("certificates/issue.html", form, **context)
        return render_template("certificates/issue.html", form=form, **context)
    details = certificates.CertificateDetails(
        issued_on=form.issued_on.data, place=form.place.data or "", signer_authority=form.signer_authority.data or "",
        signer_title=form.signer_title.data or "", signer_name=form.signer_name.data or "")
    try:
        issued = certificates.issue_certificates(current_user, cls, details=details)
    except DomainError as error:
        return refused("certificates/issue.html", form, error, **context)
    except IntegrityError:  # the same class issued at the same moment elsewhere: its numbers are taken
        _busy()
        return _back(plan, cls)
    if issued:
        flash(ngettext("Đã cấp %(num)s giấy chứng nhận.", "Đã cấp %(num)s giấy chứng nhận.", len(issued)), "success")
    else:
        flash(_("Mọi học viên hoàn thành lớp đều đã có giấy chứng nhận."), "info")
    return _back(plan, cls)


@bp.route("/plans/<code>/classes/<class_code>/certificates/print")
@login_required
def print_certificates(code, class_code):
    """The class's certificates in force, one A4 page each (the print stylesheet), 100 at a time (?batch=N,
    as the invitation cards: a class of 3,000 on one page took 2 s and 9 MB); ?id= for one."""
    plan, cls = load_class(code, class_code, "certificate.view")
    wanted = request.args.get("id", type=int)
    batch = None
    if wanted is not None:
        found = certificates.current_batch_rows(cls, certificate_id=wanted).items
        if not found:
            raise DomainError("not_found", _("Giấy chứng nhận này không còn hiệu lực hoặc không thuộc lớp."))
    else:
        batch = certificates.current_batch_rows(cls, page_arg("batch"), certificates.PRINT_BATCH)
        found = batch.items
    access_log.record_access("certificates.printed", cls=cls, people_count=len(found),
                             detail=f"batch {batch.page}/{batch.pages}" if batch and batch.pages > 1 else None)
    papers, signatures = _papers(found, lambda row: row, lambda: plan.organiser_org)
    common = certificates.paper_common(cls)
    return render_template("certificates/print.html", plan=plan, cls=cls, names=common, pages=papers,
                           signatures=signatures, held=_held(common), batch=batch, file_batch=certificates.FILE_BATCH)


def _hours_text(hours: float) -> str:
    """22.5 -> "22,5" in Vietnamese (a decimal comma), "22.5" in English."""
    return certificate_documents.hours_text(hours, str(get_locale() or "vi"))


def _held(common: certificates.PaperCommon) -> dict:
    """What every paper of the class prints alike about its sessions: worked out once, not once a paper."""
    first, last = certificates.span_of(common.held)
    return {"first": first, "last": last, "hours": _hours_text(certificates.hours_of(common.held))}


class Paper(NamedTuple):
    """What a printed paper shows of its own: its holder's name, her position and unit ("" for neither),
    its number and QR code, and which of the batch's signature blocks it bears (an index in `signatures`)."""
    full_name: str
    about: str
    number: str
    qr_svg: str
    signing: int


def _papers(found: list, holder_of: Callable, organiser_of: Callable) -> tuple[list[Paper], list[tuple]]:
    """Each certificate's paper, and the batch's signature blocks as (date line, Signature or None): one for
    each set of details kept at issue, which the papers of one issue share, so each is made and drawn once.
    `found` holds rows of current_batch_rows (their own holders) or a certificate entity (holder_of finds
    hers); organiser_of gives the organising unit, whose saved place prints on a paper that kept none."""
    url_of = certificates.verification_urls(link_base())
    qr_title = _("Mã QR kiểm tra giấy chứng nhận")
    signing: dict = {}
    signatures: list[tuple] = []
    papers = []
    for certificate in found:
        kept = certificates.details_of(certificate)
        if kept not in signing:
            details = certificate_documents.printed_from(kept, organiser_of)
            signing[kept] = len(signatures)
            signatures.append((certificate_documents.date_line(details), certificate_documents.signature_for(details)))
        holder = holder_of(certificate)
        papers.append(Paper(holder.full_name, ", ".join(filter(None, (holder.position, holder.unit_name))),
                            certificate.number, qr.qr_svg(url_of(certificate.id), title=qr_title, fluid=True),
                            signing[kept]))
    return papers, signatures


def _download(data: bytes, kind: str, filename: str) -> Response:
    """A file naming people: never kept by a shared cache or a proxy."""
    return _private(Response(data, mimetype=PDF if kind == "pdf" else DOCX,
                             headers={"Content-Disposition": content_disposition(filename)}))


def _class_file(code: str, class_code: str, kind: str) -> Response:
    """A batch (?batch=N) of the class's certificates in force as one file: FILE_BATCH certificates each."""
    plan, cls = load_class(code, class_code, "certificate.view")  # as the print page
    data, batch = certificate_documents.class_certificates_file(cls, link_base(), kind, page_arg("batch"))
    several = batch.pages > 1
    access_log.record_access("certificates.downloaded", cls=cls, people_count=len(batch.items),
                             detail=f"{kind} batch {batch.page}/{batch.pages}" if several else kind)
    suffix = f"-dot-{batch.page}" if several else ""
    return _download(data, kind, f"giay-chung-nhan-{plan.code}-{cls.code}{suffix}.{kind}")


@bp.route("/plans/<code>/classes/<class_code>/certificates.pdf")
@login_required
def class_certificates_pdf(code, class_code):
    """A batch of the class's certificates in force as one PDF, a landscape A4 page each."""
    return _class_file(code, class_code, "pdf")


@bp.route("/plans/<code>/classes/<class_code>/certificates.docx")
@login_required
def class_certificates_docx(code, class_code):
    """A batch of the class's certificates in force as one .docx, a section each (to adjust before printing)."""
    return _class_file(code, class_code, "docx")


@bp.route("/plans/<code>/classes/<class_code>/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_certificate(code, class_code, certificate_id):
    plan, cls = load_class(code, class_code, "certificate.manage")
    certificate = certificates.get_class_certificate(cls, certificate_id)
    form = RevokeForm()
    context = {"plan": plan, "cls": cls, "certificate": certificate}
    if form.validate_on_submit():
        try:
            certificates.revoke_certificate(current_user, certificate, form.reason.data)
        except DomainError as error:
            return refused("certificates/confirm_revoke.html", form, error, **context)
        flash(_("Đã thu hồi giấy chứng nhận %(number)s.", number=certificate.number), "success")
        return _back(plan, cls)
    if request.method == "POST":
        return refused("certificates/confirm_revoke.html", form, **context)
    return render_template("certificates/confirm_revoke.html", form=form, **context)


@bp.route("/plans/<code>/classes/<class_code>/certificates/<int:certificate_id>/reissue", methods=["POST"])
@login_required
def reissue_certificate(code, class_code, certificate_id):
    plan, cls = load_class(code, class_code, "certificate.manage")
    certificate = certificates.get_class_certificate(cls, certificate_id)
    if ConfirmForm().validate_on_submit() and not is_confirmed():
        return confirmation_page(
            title=_("Cấp lại giấy chứng nhận %(number)s?", number=certificate.number),
            consequences=[_("Một giấy mới với số mới được cấp cho %(name)s.",
                            name=certificate.enrolment.person.full_name),
                          _("Giấy cũ (nếu còn hiệu lực) bị thu hồi: ai quét mã QR của nó sẽ thấy \"đã thu hồi\".")],
            confirm_label=_("Cấp lại"), cancel_url=url_for("certificates.list_certificates", code=code,
                                                            class_code=class_code))
    if ConfirmForm().validate_on_submit():
        try:
            new = certificates.reissue_certificate(current_user, certificate)
        except DomainError as error:
            flash(error.message, "error")
        except IntegrityError:
            _busy()
        else:
            flash(_("Đã cấp lại: giấy chứng nhận %(number)s thay cho %(old)s.", number=new.number,
                    old=certificate.number), "success")
    return _back(plan, cls)


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/C/<certificate_token>")
@bp.route("/c/<certificate_token>", alias=True)  # some scanners lower-case what they read
def verify(certificate_token):
    """Public: valid or revoked, the holder's name and the class, nothing else."""
    certificate = certificates.find_certificate(certificate_token)
    if certificate is None:
        return _private(Response(render_template("certificates/verify.html", certificate=None), status=404))
    return _private(Response(render_template("certificates/verify.html", certificate=certificate,
                                             cls=certificate.enrolment.training_class)))


@bp.route("/T/<token>/certificate")
@bp.route("/t/<token>/certificate", alias=True)
def my_certificate(token):
    """A participant's own certificate, reached from her ticket (the ticket's token is her credential)."""
    enrolment = load_ticket(token)
    certificate = certificates.current_for_enrolment(enrolment.id)
    cls = enrolment.training_class
    if certificate is None:
        return _private(Response(render_template("certificates/print.html", plan=cls.plan, cls=cls, pages=[],
                                                 own=True)))
    papers, signatures = _papers([certificate], lambda own: own.enrolment.person, lambda: cls.plan.organiser_org)
    common = certificates.paper_common(cls)
    return _private(Response(render_template("certificates/print.html", plan=cls.plan, cls=cls, names=common,
                                             pages=papers, signatures=signatures, held=_held(common), own=True)))


@bp.route("/T/<token>/certificate.pdf")
@bp.route("/t/<token>/certificate.pdf", alias=True)
def my_certificate_pdf(token):
    """A participant's own certificate in force as a PDF; none yet: the page that says so, with a 404."""
    enrolment = load_ticket(token)
    certificate = certificates.current_for_enrolment(enrolment.id)
    if certificate is None:
        return _private(Response(render_template("certificates/print.html", plan=enrolment.training_class.plan,
                                                 cls=enrolment.training_class, pages=[], own=True), status=404))
    data = certificate_documents.certificate_pdf(certificate, link_base())
    return _download(data, "pdf", f"giay-chung-nhan-{certificate.number.replace('/', '-')}.pdf")
