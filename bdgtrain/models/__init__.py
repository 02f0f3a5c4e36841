"""The database models, one module per aggregate; importing this package registers them all."""
from .accounts import ROLES, ROLES_NEEDING_ORG, LoginSession, User
from .attendance import ATTENDANCE_SOURCES, ATTENDANCE_STATUSES, SCAN_OUTCOMES, ApiToken, Attendance, CheckinScan
from .audit import AuditEvent
from .calendar import FEED_KINDS, FEED_TARGETS, MAIL_KINDS, MAIL_STATUSES, CalendarFeed, MailMessage
from .certificates import Certificate
from .feedback import FeedbackBox, FeedbackReceipt, FeedbackSettings, FeedbackTrainerLink
from .lists import IMPORT_STATUSES, DuplicateFlag, ListImport, Nomination, SeatQuota
from .org import ORG_KINDS, Organisation, OrganisationPeriod, OrganisationSuccessor
from .people import ENROLMENT_STATUSES, Enrolment, Person
from .planning import (
    CLASS_STATUSES,
    SESSION_STATUSES,
    ClassSession,
    Plan,
    PlanDocument,
    PlanReadingDraft,
    ReportDeadline,
    Trainer,
    TrainingClass,
    Venue,
    class_suppliers,
    class_trainers,
    plan_monitors,
)
from .pool import (
    EXTERNAL_TRAINING_KINDS,
    LEAVE_REASONS,
    ExternalTraining,
    ExternalTrainingImport,
    PoolEntry,
    PoolImport,
)
from .privacy import PersonalDataAccess, PersonalDataAccessPerson
from .reporting import (
    MEASURES,
    REPORT_FILE_FORMATS,
    REPORT_KINDS,
    ChangeStamp,
    ClassCompletion,
    DocumentSettings,
    PeriodicReport,
    PeriodicReportFile,
    Target,
    UnitHeadcount,
)

__all__ = [
    "ROLES", "ROLES_NEEDING_ORG", "LoginSession", "User", "ATTENDANCE_STATUSES", "Attendance", "AuditEvent",
    "ORG_KINDS", "Organisation", "OrganisationPeriod", "OrganisationSuccessor",
    "ENROLMENT_STATUSES", "Enrolment", "Person", "CLASS_STATUSES",
    "SESSION_STATUSES", "ClassSession", "Plan", "PlanDocument", "PlanReadingDraft", "ReportDeadline", "Trainer",
    "TrainingClass",
    "Venue", "class_suppliers", "class_trainers", "plan_monitors", "IMPORT_STATUSES", "DuplicateFlag",
    "ListImport", "Nomination", "SeatQuota", "ATTENDANCE_SOURCES", "SCAN_OUTCOMES", "ApiToken",
    "CheckinScan", "Certificate", "LEAVE_REASONS", "ExternalTraining", "PoolEntry", "PoolImport",
    "EXTERNAL_TRAINING_KINDS", "ExternalTrainingImport",
    "FEED_KINDS", "FEED_TARGETS",
    "MAIL_KINDS", "MAIL_STATUSES", "CalendarFeed", "MailMessage",
    "MEASURES", "REPORT_FILE_FORMATS", "REPORT_KINDS", "ChangeStamp", "ClassCompletion", "DocumentSettings",
    "PeriodicReport", "PeriodicReportFile", "Target", "UnitHeadcount",
    "FeedbackBox", "FeedbackReceipt", "FeedbackSettings", "FeedbackTrainerLink", "PersonalDataAccess",
    "PersonalDataAccessPerson",
]
