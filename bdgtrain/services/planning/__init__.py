"""Plans, classes and sessions, the organisation tree they name, and the directory of trainers and venues."""
