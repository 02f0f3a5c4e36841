"""Domain errors with stable codes, and the one place where they become HTTP, HTML or JSON."""
from __future__ import annotations

import traceback

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, StatementError
from werkzeug.exceptions import HTTPException

from .i18n import translate
from .messages import Message

# Codes whose HTTP status is not the default 422 (the request was understood but refused).
STATUS_BY_CODE = {
    "not_found": 404,
    "bad_request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "conflict": 409,
}


class DomainError(Exception):
    """A refusal the user can act on: a stable `code`, a message, maybe the `field`.

    The message is given marked for translation (`_l(...)` in services, a `Message` from the pure
    rules and readers, or text already translated); `message` reads it as plain text in the
    current language, which is Vietnamese outside a request (the CLI, tests of services).
    """

    def __init__(self, code: str, message, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.marked_message = message
        self.field = field

    @property
    def message(self) -> str:
        return str(translate(self.marked_message))

    def __str__(self) -> str:
        return self.message

    @property
    def http_status(self) -> int:
        return STATUS_BY_CODE.get(self.code, 422)

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {str(self.marked_message)!r}, field={self.field!r})"


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


HTTP_MESSAGES = {  # marked here, translated when an error is shown
    400: Message("Yêu cầu không hợp lệ."),
    403: Message("Bạn không có quyền truy cập trang này."),
    404: Message("Không tìm thấy trang hoặc dữ liệu được yêu cầu."),
    405: Message("Phương thức không được hỗ trợ."),
    413: Message("Tệp tải lên quá lớn."),
    429: Message("Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại."),
    500: Message("Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau."),
}


def _respond(status: int, code: str, message: str):
    message = str(message)  # plain text for JSON and for escaping in the page, never a lazy string
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message}}), status
    return render_template("errors/error.html", code=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        return _respond(error.http_status, error.code, error.message)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        marked = HTTP_MESSAGES.get(status) or Message("Yêu cầu không thực hiện được (lỗi %(status)s).", status=status)
        message = translate(marked)
        if status == 400 and error.description and "CSRF" in error.description:
            message = _("Phiên làm việc của biểu mẫu đã hết hạn. Vui lòng tải lại trang và thử lại.")
        response = _respond(status, (error.name or "error").lower().replace(" ", "_"), message)
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response[0].headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        _log_unexpected(app, error)
        return _respond(500, "internal_error", translate(HTTP_MESSAGES[500]))


def _log_unexpected(app, error: Exception) -> None:
    """Log an unexpected error with its traceback. A database error's text may quote the row's values
    (PostgreSQL's "Key (id_number)=(...)", the statement's parameters): for those only the class, the
    SQLSTATE and the stack are logged, so that personal data stays out of the logs (docs/PRIVACY.md)."""
    if isinstance(error, (DBAPIError, StatementError)):
        orig = getattr(error, "orig", None)
        app.logger.error("Unhandled error on %s %s: %s (%s, SQLSTATE %s)\n%s", request.method, request.path,
                         type(error).__name__, type(orig).__name__ if orig is not None else "-",
                         getattr(orig, "sqlstate", None) or "-", "".join(traceback.format_tb(error.__traceback__)))
        return
    app.logger.exception("Unhandled error on %s %s", request.method, request.path)
