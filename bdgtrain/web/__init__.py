"""The web layer: one blueprint package per area; views load, authorise, call a service, respond."""
from .api.views import bp as api_bp
from .audit.views import bp as audit_bp
from .auth.views import bp as auth_bp
from .calendar.views import bp as calendar_bp
from .certificates.views import bp as certificates_bp
from .checkin.views import bp as checkin_bp
from .directory.views import bp as directory_bp
from .feedback.views import bp as feedback_bp
from .lists.views import bp as lists_bp
from .main.views import bp as main_bp
from .monitoring.views import bp as monitoring_bp
from .orgs.views import bp as orgs_bp
from .plans import document_views, reading_views  # noqa: F401  (their routes join the plans blueprint)
from .plans.views import bp as plans_bp
from .pool.views import bp as pool_bp
from .privacy.views import bp as privacy_bp
from .reports import next_year_views, periodic_views  # noqa: F401  (their routes join the reports blueprint)
from .reports.views import bp as reports_bp
from .training_records.views import bp as training_records_bp
from .users.views import bp as users_bp

BLUEPRINTS = [main_bp, auth_bp, plans_bp, lists_bp, checkin_bp, calendar_bp, api_bp, orgs_bp, directory_bp,
              users_bp, audit_bp,
              reports_bp, feedback_bp, monitoring_bp, certificates_bp, privacy_bp, pool_bp,
              training_records_bp]
