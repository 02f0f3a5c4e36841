"""Reading a Kế hoạch from a file into a draft plan, and confirming it (issue 23): above planning and
reporting, whose services it calls exactly as a typed plan would."""
