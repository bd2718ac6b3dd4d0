"""The plan told: a text report for people, one JSON record per source row for scripts."""

from __future__ import annotations

from typing import Any

from desktop.reports.importer.layout import FIELD_LABELS
from desktop.reports.importer.model import (
    CHANGED,
    ERROR,
    FATES_VI,
    IMPORTED,
    NEW,
    REPAIRED,
    SKIPPED,
    UNCHANGED,
    ImportPlan,
    RowResult,
)
from gocua.legacy_text import NAMES_VI


def where_vi(plan: ImportPlan, row: RowResult) -> str:
    listed = [s for s in plan.sheets if s.heading_line is not None]
    return f"Trang “{row.sheet}”, dòng {row.line}" if len(listed) > 1 else f"Dòng {row.line}"


def sheet_lines_vi(plan: ImportPlan) -> list[str]:
    lines = []
    for sheet in plan.sheets:
        if sheet.note_vi:
            lines.append(f"Trang “{sheet.name}”: {sheet.note_vi}.")
            continue
        parts = [f"hàng tiêu đề ở dòng {sheet.heading_line}"]
        if sheet.hamlet_name:
            parts.append(f"tên trang là ấp “{sheet.hamlet_name}”")
        if sheet.legacy and sheet.legacy.encoding:
            parts.append(
                f"chữ gõ bằng bảng mã {NAMES_VI[sheet.legacy.encoding]} đã được chuyển sang "
                f"Unicode ({len(sheet.legacy.converted)} ô)"
            )
        missing = sheet.missing_fields
        if missing:
            parts.append("chưa có cột " + ", ".join(FIELD_LABELS[f] for f in missing))
        lines.append(f"Trang “{sheet.name}”: " + "; ".join(parts) + ".")
    for hamlet in plan.unknown_hamlets:
        if hamlet.choice is None:
            lines.append(
                f"Ấp “{hamlet.name}” chưa có trong xã ({hamlet.rows} dòng): hãy chọn ấp tương "
                "ứng" + (" hoặc tạo ấp mới." if plan.can_create_hamlets else ".")
            )
    return lines


def report_vi(plan: ImportPlan, skipped: bool = False) -> str:
    """The summary, the sheets, then one line per row with something to say (errors first in
    each row's line; skipped rows only when asked)."""
    lines = [plan.summary_vi(), *sheet_lines_vi(plan)]
    for row in plan.rows:
        where = where_vi(plan, row)
        if row.fate == ERROR:
            lines.append(f"{where}: LỖI – {'; '.join(row.errors)}")
            if row.repairs or row.notes:
                lines[-1] += f" (lưu ý: {'; '.join(row.repairs + row.notes)})"
        elif row.fate == REPAIRED:
            lines.append(f"{where}: đã sửa – {'; '.join(row.repairs + row.notes)}")
        elif row.fate != SKIPPED and row.notes:
            lines.append(f"{where}: lưu ý – {'; '.join(row.notes)}")
        elif row.fate == SKIPPED and skipped:
            lines.append(f"{where}: bỏ qua – {'; '.join(row.notes)}")
    return "\n".join(lines)


def row_record(plan: ImportPlan, row: RowResult) -> dict[str, Any]:
    household = row.household
    record: dict[str, Any] = {
        "sheet": row.sheet,
        "row": row.line,
        "fate": row.fate,
        "kind": row.kind,
        "change": row.change,
        "full_name": row.person.get("full_name"),
        "household": None,
        "messages": row.errors + row.repairs + row.notes,
    }
    if household is not None:
        record["household"] = {
            "address": household.address,
            "hamlet_id": household.hamlet_id,
            "hamlet": plan.hamlet_names.get(household.hamlet_id or "")
            or next((h.name for h in plan.unknown_hamlets if h.key == household.unknown_key), None),
            "head_row": household.head_line,
            "first_row": household.first_line,
            "existing_id": household.existing_id,
        }
    if row.legacy:
        record["legacy_text"] = row.legacy
    if row.changed_fields:
        record["changed_fields"] = row.changed_fields
    return record


def plan_json(plan: ImportPlan) -> dict[str, Any]:
    """The dry run for scripts (``gocua import --dry-run --json``)."""
    return {
        "file": str(plan.workbook.path),
        "kind": plan.workbook.kind,
        "summary": plan.summary_vi(),
        "counts": {
            "new": plan.count(NEW),
            "changed": plan.count(CHANGED),
            "unchanged": plan.count(UNCHANGED),
            "new_households": len(plan.new_households),
            "imported": sum(r.fate == IMPORTED for r in plan.rows),
            "repaired": len(plan.repaired_rows),
            "skipped": len(plan.skipped_rows),
            "error": len(plan.error_rows),
        },
        "sheets": [
            {
                "name": s.name,
                "heading_row": s.heading_line,
                "layout": s.layout,
                "legacy_encoding": s.legacy.encoding if s.legacy else None,
                "hamlet": s.hamlet_name,
                "note": s.note_vi,
            }
            for s in plan.sheets
        ],
        "unknown_hamlets": [
            {"key": h.key, "name": h.name, "rows": h.rows, "choice": h.choice}
            for h in plan.unknown_hamlets
        ],
        "rows": [row_record(plan, r) for r in plan.rows],
        "fates": dict(FATES_VI),
    }
