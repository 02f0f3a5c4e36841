"""Official documents: the model of Decree 30/2020/NĐ-CP's parts and the writers that lay them out as
.docx, PDF and .xlsx. Pure: no database, no Flask; services build a Document, writers return bytes."""
