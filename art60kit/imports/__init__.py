"""Career data from authentic sources: DmfA declarations, career CSV files, and the
merge of lines from several sources for one person.

- :mod:`.dmfa` reads DmfA XML (streamed) into case-format career lines, each with its
  source, the service-code mapping (:mod:`.servicecodes`) and the worker-code treatment
  (:mod:`.workercodes`) it relies on; one impossible worker is refused, the others are
  read; other ONSS messages are recognised and refused;
- :mod:`.modifications` applies DmfA modification declarations to their originals;
- :mod:`.dimona` reads Dimona declarations into "Dimona only" lines (working time unknown);
- :mod:`.career_csv` reads and writes the career CSV CPAS staff fill from Dolsis or
  MyCareer, validated like a case file;
- :mod:`.merge` combines lines from several sources: duplicates counted once, overlaps
  never above one full-time day per day, every decision in a report;
- :mod:`.synthetic` generates small, schema-valid DmfA files without personal data.

Only the standard library and lxml are needed (lxml only for DmfA); nothing here
imports a notebook library.
"""
from .career_csv import CsvImport, read_career_csv, write_career_csv, career_csv_text
from .dmfa import DmfaImport, Modification, PersonCareer, Refusal, read_dmfa, read_dmfa_files
from .modifications import Change
from .workercodes import WORKER_CODES, WorkerCode, lookup_worker
from .merge import MergeEntry, MergeReport, MergeResult, merge
from .servicecodes import SERVICE_CODES, ServiceCodeMapping, lookup

__all__ = [
    "CsvImport", "read_career_csv", "write_career_csv", "career_csv_text",
    "DmfaImport", "PersonCareer", "Refusal", "Modification", "Change", "read_dmfa", "read_dmfa_files",
    "WORKER_CODES", "WorkerCode", "lookup_worker",
    "MergeEntry", "MergeReport", "MergeResult", "merge",
    "SERVICE_CODES", "ServiceCodeMapping", "lookup",
]
