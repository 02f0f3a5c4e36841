"""Domain errors with stable codes, and the one place where they become HTTP, HTML or JSON."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

# Codes whose HTTP status is not the default 422 (the request was understood but refused).
STATUS_BY_CODE = {
    "not_found": 404,
    "bad_request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "conflict": 409,
}


class DomainError(Exception):
    """A refusal the user can act on: a stable `code`, a Vietnamese `message`, maybe the `field`."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @property
    def http_status(self) -> int:
        return STATUS_BY_CODE.get(self.code, 422)

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r}, field={self.field!r})"


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    403: "Bạn không có quyền truy cập trang này.",
    404: "Không tìm thấy trang hoặc dữ liệu được yêu cầu.",
    405: "Phương thức không được hỗ trợ.",
    413: "Tệp tải lên quá lớn.",
    429: "Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại.",
    500: "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau.",
}


def _respond(status: int, code: str, message: str):
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
        message = _(HTTP_MESSAGES[status]) if status in HTTP_MESSAGES else (error.description or "")
        if status == 400 and error.description and "CSRF" in error.description:
            message = _("Phiên làm việc của biểu mẫu đã hết hạn. Vui lòng tải lại trang và thử lại.")
        response = _respond(status, (error.name or "error").lower().replace(" ", "_"), message)
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response[0].headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _respond(500, "internal_error", _(HTTP_MESSAGES[500]))
