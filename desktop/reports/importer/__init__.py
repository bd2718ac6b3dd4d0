"""Importing the household lists communes already keep (issue 17: "as it is kept").

One module per job:

* :mod:`.reading` — a file (.xlsx, .xls, .ods through python-calamine; CSV) becomes sheets of
  cell values with their row numbers and merged ranges; anything else is refused in one
  Vietnamese sentence;
* :mod:`.repairs` — cell repairs: TCVN3/VNI text, CCCD that lost its zero, phone numbers,
  dates in every form, names' spacing and case, sex and relation words;
* :mod:`.layout` — where the table is in a sheet, what each column holds, what each row is
  (title, heading, person, blank, totals, signatures, a hamlet's name);
* :mod:`.hamlets` — hamlets named by the list, matched by folded name, or to be chosen;
* :mod:`.planning` (with :mod:`.model`) — each row's fate and the households (head and
  members); :mod:`.matching` — persons and households already in the store (re-import);
* :mod:`.commit` — the plan written through the services in one transaction;
* :mod:`.report` — the plan as text for people and as JSON for scripts.

The names below are the importer's API; the dialog and ``gocua import`` use only these.
"""

from desktop.reports.importer.commit import ImportOutcome, commit_plan
from desktop.reports.importer.hamlets import CREATE, UnknownHamlet
from desktop.reports.importer.layout import FIELD_LABELS, SYNONYMS, match_heading
from desktop.reports.importer.model import (
    CHANGED,
    CHANGES_VI,
    ERROR,
    FATES_VI,
    IMPORTED,
    NEW,
    REPAIRED,
    SKIPPED,
    UNCHANGED,
    ImportPlan,
    PlannedHousehold,
    RowResult,
    SheetPlan,
)
from desktop.reports.importer.planning import plan_import
from desktop.reports.importer.reading import ImportFileError, Workbook, read_workbook
from desktop.reports.importer.repairs import relation_of, repair_cccd, repair_phone
from desktop.reports.importer.report import plan_json, report_vi

__all__ = [
    "CHANGED",
    "CHANGES_VI",
    "CREATE",
    "ERROR",
    "FATES_VI",
    "FIELD_LABELS",
    "IMPORTED",
    "NEW",
    "REPAIRED",
    "SKIPPED",
    "SYNONYMS",
    "UNCHANGED",
    "ImportFileError",
    "ImportOutcome",
    "ImportPlan",
    "PlannedHousehold",
    "RowResult",
    "SheetPlan",
    "UnknownHamlet",
    "Workbook",
    "commit_plan",
    "match_heading",
    "plan_import",
    "plan_json",
    "read_workbook",
    "relation_of",
    "repair_cccd",
    "repair_phone",
    "report_vi",
]
