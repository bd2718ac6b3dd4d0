"""What the web view says, in Vietnamese first and English second, and how it writes numbers
and dates in each (41,5% and 2.000.000 in Vietnamese; 41.5% and 2,000,000 in English)."""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("vi", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("Gõ Cửa", "Gõ Cửa"),
    "tagline": (
        "Chuyển đổi số cộng đồng: số liệu theo xã, ấp",
        "Community digital transformation: figures by commune and hamlet",
    ),
    "login": ("Đăng nhập", "Sign in"),
    "logout": ("Đăng xuất", "Sign out"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "login_intro": (
        "Dùng tài khoản Gõ Cửa của anh/chị (cán bộ tỉnh, lãnh đạo xã, quản trị xã).",
        "Use your Gõ Cửa account (province staff, commune leaders and admins).",
    ),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "login_blocked": (
        "Đăng nhập sai quá nhiều lần. Thử lại sau {minutes} phút.",
        "Too many failed sign-ins. Try again in {minutes} minutes.",
    ),
    "login_volunteer": (
        "Tài khoản tình nguyện viên dùng ứng dụng Gõ Cửa trên máy tính; trang web này dành cho "
        "lãnh đạo xã và cán bộ tỉnh.",
        "Volunteer accounts use the Gõ Cửa desktop app; this website is for commune leaders "
        "and province staff.",
    ),
    "signed_in_as": ("Đăng nhập: {name}", "Signed in: {name}"),
    "language": ("English", "Tiếng Việt"),
    "ranking_title": ("Xếp hạng các xã", "Ranking of communes"),
    "hamlet_ranking_title": ("Xếp hạng các ấp", "Ranking of hamlets"),
    "year_note": (
        "Số liệu năm {year}, tính đến {today}. Tuổi tính theo năm {year}.",
        "Figures for {year}, as of {today}. Ages counted in {year}.",
    ),
    "indicator": ("Chỉ số", "Indicator"),
    "score": ("Điểm tổng hợp (số chỉ số đạt chỉ tiêu)", "Overall (indicators meeting target)"),
    "score_short": ("Số chỉ số đạt", "Targets met"),
    "compare_with": ("So với ngày", "Compared with"),
    "show": ("Xem", "Show"),
    "rank": ("Hạng", "Rank"),
    "change": ("Thay đổi", "Change"),
    "commune": ("Xã", "Commune"),
    "hamlet": ("Ấp", "Hamlet"),
    "percent": ("Tỷ lệ", "Percent"),
    "covered_of": ("Đạt / Đối tượng", "Covered / eligible"),
    "target": ("Chỉ tiêu", "Target"),
    "met": ("Đạt", "Met"),
    "not_met": ("Chưa đạt", "Not met"),
    "no_target": ("Không có chỉ tiêu", "No target"),
    "nobody": ("Chưa có số liệu", "No data"),
    "to_reach": ("Còn thiếu để đạt", "Still to reach"),
    "new_rank": ("mới", "new"),
    "same_rank": ("giữ hạng", "same"),
    "rank_then": ("Hạng ngày {day}: {rank}", "Rank on {day}: {rank}"),
    "no_snapshot": (
        "Chưa có số liệu lưu ngày {asked} hoặc trước đó (số liệu được lưu hằng ngày từ {first}).",
        "No figures were kept on or before {asked} (figures are kept daily since {first}).",
    ),
    "no_snapshot_yet": (
        "Chưa có số liệu của ngày nào trước đây để so sánh.",
        "No earlier figures have been kept yet to compare with.",
    ),
    "snapshot_used": (
        "So sánh với số liệu lưu ngày {day}.",
        "Compared with the figures kept on {day}.",
    ),
    "all_indicators": ("Tất cả chỉ số", "All indicators"),
    "downloads": ("Tải về", "Download"),
    "download_xlsx": ("Bảng tính Excel (XLSX)", "Spreadsheet (XLSX)"),
    "download_csv": ("CSV (UTF-8)", "CSV (UTF-8)"),
    "province_total": ("Toàn tỉnh", "Whole province"),
    "commune_total": ("Toàn xã", "Whole commune"),
    "back_to_province": ("← Xếp hạng các xã", "← Ranking of communes"),
    "back_to_commune": ("← Trang của xã", "← Commune page"),
    "commune_indicators": ("Các chỉ số của xã", "The commune's indicators"),
    "rank_in_province": (
        "Hạng {rank}/{count} trong tỉnh theo điểm tổng hợp.",
        "Rank {rank} of {count} in the province, overall.",
    ),
    "progress": ("Tiến độ theo thời gian", "Progress over time"),
    "progress_none": (
        "Chưa có số liệu các ngày trước; biểu đồ sẽ có từ ngày mai.",
        "No earlier days kept yet; the chart starts tomorrow.",
    ),
    "follow_up": ("Việc còn lại theo ấp", "Work left, by hamlet"),
    "follow_up_intro": (
        "Số hộ chưa được thăm và số người còn cần hỗ trợ (chỉ là số đếm; danh sách ở ứng dụng "
        "Gõ Cửa).",
        "Households not yet visited and people still to help (counts only; the lists are in "
        "the Gõ Cửa app).",
    ),
    "unvisited": ("Hộ chưa được thăm", "Households not yet visited"),
    "to_help": ("Người còn cần hỗ trợ", "People still to help"),
    "to_reach_by_hamlet": (
        "Số người (hộ) còn thiếu để đạt chỉ tiêu",
        "People (households) still to reach the target",
    ),
    "open_follow_up": ("Việc còn lại theo ấp →", "Work left, by hamlet →"),
    "total": ("Tổng", "Total"),
    "error_title": ("Có lỗi", "Error"),
    "error_404": ("Không tìm thấy trang này.", "This page does not exist."),
    "error_403": (
        "Tài khoản của anh/chị không được xem trang này.",
        "Your account may not see this page.",
    ),
    "error_403_csrf": (
        "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang rồi thử lại.",
        "The form has expired or is not valid. Reload the page and try again.",
    ),
    "error_400": ("Yêu cầu không hợp lệ.", "The request is not valid."),
    "error_405": ("Không dùng được cách gửi này.", "This method is not allowed here."),
    "error_429": (
        "Quá nhiều yêu cầu. Thử lại sau ít phút.",
        "Too many requests. Try again in a few minutes.",
    ),
    "error_500": (
        "Máy chủ gặp lỗi. Hãy thử lại sau; nếu vẫn lỗi, báo cho quản trị.",
        "The server met an error. Try again later; if it persists, tell the administrator.",
    ),
    "error_503": (
        "Máy chủ đang bận hoặc không kết nối được cơ sở dữ liệu. Hãy thử lại sau ít phút.",
        "The server is busy or cannot reach its database. Try again in a few minutes.",
    ),
    "no_household_pages": (
        "Trang web không hiển thị hộ gia đình hay nhân khẩu; hãy dùng ứng dụng Gõ Cửa.",
        "The website shows no households or persons; use the Gõ Cửa app.",
    ),
    "home": ("Trang chính", "Home"),
    "print": ("In trang này: dùng lệnh In của trình duyệt.", "To print: use the browser's Print."),
    "generated": ("Lập lúc {time}", "Generated {time}"),
    "day_format_hint": ("ngày/tháng/năm", "day/month/year"),
}


def text(key: str, lang: str, **values) -> str:
    vi, en = TEXTS[key]
    chosen = en if lang == "en" else vi
    return chosen.format(**values) if values else chosen


def number(value: int | float, lang: str, decimals: int = 0) -> str:
    formatted = f"{value:,.{decimals}f}"
    if lang == "en":
        return formatted
    return formatted.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    return number(value, lang, 1) + "%"


def date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if lang != "en" else value.isoformat()
