"""Forms shared by several areas of the web layer; an area's own forms stay in web/<area>/forms.py."""
from .common import Form


class ConfirmForm(Form):
    """Only the CSRF token: the page around it says what will happen."""
