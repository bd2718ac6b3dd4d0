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
