"""Career data from authentic sources: DmfA declarations, career CSV files, and the
merge of lines from several sources for one person (issue 6).

- :mod:`.dmfa` reads DmfA XML (streamed) into case-format career lines, each with its
  source and the service-code mapping it relies on (:mod:`.servicecodes`);
- :mod:`.career_csv` reads and writes the career CSV CPAS staff fill from Dolsis or
  MyCareer, validated like a case file;
- :mod:`.merge` combines lines from several sources: duplicates counted once, overlaps
  never above one full-time day per day, every decision in a report;
- :mod:`.synthetic` generates small, schema-valid DmfA files without personal data.

Only the standard library and lxml are needed (lxml only for DmfA); nothing here
imports a notebook library.
"""
from .career_csv import CsvImport, read_career_csv, write_career_csv, career_csv_text
from .dmfa import DmfaImport, PersonCareer, read_dmfa, read_dmfa_files
from .merge import MergeEntry, MergeReport, MergeResult, merge
from .servicecodes import SERVICE_CODES, ServiceCodeMapping, lookup

__all__ = [
    "CsvImport", "read_career_csv", "write_career_csv", "career_csv_text",
    "DmfaImport", "PersonCareer", "read_dmfa", "read_dmfa_files",
    "MergeEntry", "MergeReport", "MergeResult", "merge",
    "SERVICE_CODES", "ServiceCodeMapping", "lookup",
]
