"""Reading spreadsheets that people send: formats, header detection, column mapping, legacy encodings.

Pure (plain Python and the spreadsheet libraries, no Flask, no database), so that services and the
CLI can call it. The entry point is person_list.read_person_list.
"""
