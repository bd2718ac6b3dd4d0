"""What can go wrong talking to the server, as exceptions the engine and the UI understand."""

from __future__ import annotations


class SyncError(Exception):
    """Base class. ``message_vi`` is what the volunteer reads."""

    message_vi = "Đồng bộ không thành công."
    retryable = False

    def __init__(self, message: str = "", **details):
        super().__init__(message or self.__class__.__name__)
        self.details = details


class NetworkError(SyncError):
    message_vi = "Không kết nối được máy chủ. Dữ liệu vẫn được lưu trên máy và sẽ gửi sau."
    retryable = True


class NotHttps(NetworkError):
    """An https:// address (the app adds it when none is typed) whose server answers in plain
    HTTP: a server in the commune office's network. The app never falls back to http by itself:
    the password would cross the network unencrypted."""

    message_vi = (
        "Máy chủ ở địa chỉ này không dùng https. Nếu đây là máy chủ trong mạng nội bộ của xã, "
        "hãy gõ http:// ở đầu địa chỉ."
    )


class BadCertificate(NetworkError):
    """The server's TLS certificate does not check out (expired, self-signed, another name).
    Still retried like any network failure: a hotel or shop Wi-Fi's sign-in page answers with
    its own certificate until the user has signed in there."""

    message_vi = (
        "Chứng chỉ bảo mật của máy chủ không hợp lệ (hết hạn hoặc không đúng tên). "
        "Hãy báo người quản trị máy chủ."
    )


def tls_error(exc: Exception) -> NetworkError:
    """What a failed TLS handshake means for the user (requests' SSLError carries OpenSSL's
    reason in its text)."""
    text = str(exc)
    if "WRONG_VERSION_NUMBER" in text or "wrong version number" in text:
        return NotHttps(text)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return BadCertificate(text)
    return NetworkError(text)


class ServerUnavailable(SyncError):
    message_vi = "Máy chủ đang bận. Ứng dụng sẽ tự thử lại."
    retryable = True

    def __init__(self, message: str = "", retry_after: float | None = None, **details):
        super().__init__(message, **details)
        self.retry_after = retry_after


class Unauthorized(SyncError):
    message_vi = "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại; dữ liệu chưa gửi vẫn còn."


class InvalidCredentials(SyncError):
    message_vi = "Tên đăng nhập hoặc mật khẩu không đúng."


class TooManyAttempts(SyncError):
    message_vi = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút."

    def __init__(self, message: str = "", retry_after: float | None = None, **details):
        super().__init__(message, **details)
        self.retry_after = retry_after


class Forbidden(SyncError):
    message_vi = "Tài khoản này không có quyền với dữ liệu này."


class UpgradeRequired(SyncError):
    message_vi = "Máy chủ cần phiên bản Gõ Cửa mới hơn. Vui lòng cập nhật ứng dụng."


class ClientMismatch(SyncError):
    message_vi = (
        "Hồ sơ này đã được dùng với một tài khoản khác (hoặc là bản sao). "
        "Hãy tạo hồ sơ mới cho tài khoản này."
    )


class Refused(SyncError):
    """The server refused a request for a reason it names (``code``; the message says why)."""

    def __init__(self, code: str, message: str = "", status: int = 409, payload=None):
        super().__init__(f"{code}: {message}")
        self.code, self.status, self.payload = code, status, payload or {}
        self.message_vi = f"Máy chủ không nhận yêu cầu này ({code}: {message})."


class ProtocolError(SyncError):
    message_vi = "Máy chủ trả lời không đúng giao thức. Vui lòng báo cho quản trị viên."


class Cancelled(SyncError):
    message_vi = "Đã dừng đồng bộ. Lần sau sẽ tiếp tục từ chỗ đã dừng."


# Conflict-driven answers the engine handles itself.
class EpochMismatch(SyncError):
    pass


class MutationGap(SyncError):
    def __init__(self, expected: int, **details):
        super().__init__(f"mutation_gap: expected {expected}", **details)
        self.expected = expected


class ResetRequired(SyncError):
    pass


class ExtensionsRefused(ProtocolError):
    """The server refused a request's extensions (422): an older server than hello said."""


class WrongCommune(SyncError):
    """The account belongs to another commune than the profile: nothing is sent or written."""

    def __init__(
        self,
        profile_commune: str,
        server_commune: str,
        username: str = "",
        *,
        server_id: str | None = None,
    ):
        super().__init__(f"profile of {profile_commune}, account of {server_commune}")
        self.profile_commune, self.server_commune = profile_commune, server_commune
        self.username = username
        # Set when the profile has not joined yet: the names differ, and the user may say the
        # commune was renamed or merged (desktop.sync.join.accept_commune).
        self.server_id = server_id
        account = f"tài khoản {username}" if username else "tài khoản này"
        self.message_vi = (
            f"Hồ sơ này thuộc {profile_commune}, còn {account} thuộc {server_commune}. "
            "Không có gì được gửi hay nhận. Hãy đăng nhập bằng tài "
            f"khoản của {profile_commune}, hoặc tạo một hồ sơ mới cho {server_commune}."
        )


class JoinRequired(SyncError):
    """A profile made offline must join the server's commune first (desktop.sync.join)."""

    message_vi = (
        "Hồ sơ này được tạo khi chưa có mạng: cần ghép các ấp của hồ sơ với ấp trên máy chủ "
        "trước khi gửi dữ liệu. Chưa có gì được gửi."
    )

    def __init__(self, plan, **details):
        super().__init__("join required", **details)
        self.plan = plan
