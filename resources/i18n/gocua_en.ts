<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name></name>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="236"/>
        <source>Tình nguyện viên</source>
        <translation>Volunteer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="237"/>
        <source>Thăm tuần này</source>
        <translation>Visits this week</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="238"/>
        <source>Thăm tháng này</source>
        <translation>Visits this month</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="239"/>
        <source>Hộ đã gặp trong kỳ</source>
        <translation>Households met in the period</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="240"/>
        <source>Đồng bộ gần nhất</source>
        <translation>Last sync</translation>
    </message>
</context>
<context>
    <name>AdminLabels</name>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Tình nguyện viên</source>
        <translation>Volunteer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Tổ trưởng</source>
        <translation>Team leader</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Quản trị xã</source>
        <translation>Commune admin</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Cán bộ tỉnh</source>
        <translation>Province officer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>(không có)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Mở khóa tài khoản</source>
        <translation>Unlock account</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Thêm ấp</source>
        <translation>Add hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Đổi tên ấp</source>
        <translation>Rename hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Gộp ấp</source>
        <translation>Merge hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Tách ấp</source>
        <translation>Split hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Ngừng dùng ấp</source>
        <translation>Retire hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Thêm người dùng</source>
        <translation>Add user</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Sửa người dùng</source>
        <translation>Edit user</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Khóa tài khoản</source>
        <translation>Lock account</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Đặt lại mật khẩu</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Dòng lệnh trên máy chủ</source>
        <translation>Server command line</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Đang dùng</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Đã khóa</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>đăng xuất %1 phiên</source>
        <translation>%1 sessions signed out</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>%1 → %2, chuyển %3 hộ</source>
        <translation>%1 → %2, %3 households moved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>%1 (%2 hộ)</source>
        <translation>%1 (%2 households)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>ngừng dùng ấp cũ</source>
        <translation>old hamlet retired</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>%1 ngừng dùng</source>
        <translation>%1 retired</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>mật khẩu mới</source>
        <translation>new password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Họ tên: %1 → %2</source>
        <translation>Name: %1 → %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Vai trò: %1 → %2</source>
        <translation>Role: %1 → %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Ấp: %1 → %2</source>
        <translation>Hamlets: %1 → %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Tài khoản của bạn không được làm việc này. Chỉ quản trị xã quản lý người dùng và gộp, tách, đổi tên ấp; tổ trưởng xem và thêm ấp. Nếu cần, hãy nhờ quản trị xã.</source>
        <translation>Your account may not do this. Only commune admins manage users and merge, split or rename hamlets; team leaders see and add hamlets. If needed, ask a commune admin.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Đã xảy ra lỗi không mong muốn. Chưa có gì bị thay đổi trên máy này.</source>
        <translation>An unexpected error occurred. Nothing was changed on this computer.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Ấp này</source>
        <translation>This hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Xã đã có ấp %1: tên này trùng với nó khi không tính dấu và chữ hoa. Hãy đặt tên khác.</source>
        <translation>The commune already has hamlet %1: this name is the same once accents and case are set aside. Please choose another name.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Hai ấp mới trùng tên nhau (không tính dấu và chữ hoa). Hãy đặt tên khác nhau.</source>
        <translation>Two new hamlets have the same name (accents and case aside). Please give them different names.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>%1 còn %2 hộ. Hãy gộp hoặc tách ấp để chuyển các hộ đi trước khi ngừng dùng.</source>
        <translation>%1 still has %2 households. Merge or split the hamlet to move them before retiring it.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>%1 là ấp duy nhất của %2 tình nguyện viên: %3. Hãy giao cho họ ấp khác (thẻ Người dùng, nút Sửa) trước khi ngừng dùng.</source>
        <translation>%1 is the only hamlet of %2 volunteers: %3. Give them another hamlet (Users tab, Edit button) before retiring it.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Trên máy chủ, %1 còn %2 hộ chưa được chuyển sang ấp mới nào, nên chưa thể ngừng dùng ấp cũ. Có thể máy này chưa nhận đủ các hộ: hãy đồng bộ rồi thử lại.</source>
        <translation>On the server, %1 still has %2 households that go to no new hamlet, so the old hamlet cannot be retired yet. This computer may not have all the households: sync, then try again.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Ấp này đã ngừng dùng (có thể vừa có người gộp hoặc tách nó).</source>
        <translation>This hamlet is retired (someone may have just merged or split it).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Không thể gộp một ấp vào chính nó.</source>
        <translation>A hamlet cannot be merged into itself.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Ấp được chọn không phải là một ấp của xã.</source>
        <translation>The chosen hamlet is not a hamlet of the commune.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Tên đăng nhập này đã có người dùng (không phân biệt chữ hoa). Hãy chọn tên khác.</source>
        <translation>This username is already taken (case aside). Please choose another.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Bạn không thể đổi vai trò hay khóa tài khoản của chính mình. Hãy nhờ một quản trị xã khác.</source>
        <translation>You cannot change your own role or lock your own account. Ask another commune admin.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Máy chủ không còn thấy mục này (có thể vừa bị thay đổi). Hãy bấm Làm mới.</source>
        <translation>The server no longer finds this item (it may have just changed). Please press Refresh.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Mã ấp này đã được dùng. Hãy để trống để máy chủ tự đặt mã.</source>
        <translation>This hamlet code is already used. Leave it empty and the server chooses one.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Tên ấp cần từ 1 đến 200 ký tự.</source>
        <translation>A hamlet name needs 1 to 200 characters.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các dấu . _ @ -, bắt đầu bằng chữ hoặc số, tối đa 100 ký tự.</source>
        <translation>A username has only letters without accents, digits and . _ @ -, starts with a letter or digit, and has at most 100 characters.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Họ tên cần từ 1 đến 200 ký tự.</source>
        <translation>A name needs 1 to 200 characters.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Tình nguyện viên cần ít nhất một ấp đang dùng; tổ trưởng và quản trị xã không được giao ấp.</source>
        <translation>A volunteer needs at least one active hamlet; team leaders and commune admins are given none.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Một số hộ trong danh sách đã thay đổi trên máy chủ (bị xóa hoặc đã chuyển ấp). Hãy đồng bộ rồi mở lại.</source>
        <translation>Some households in the list have changed on the server (deleted or moved to another hamlet). Sync, then open this again.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_labels.py"/>
        <source>Máy chủ không nhận yêu cầu này (%1).</source>
        <translation>The server did not accept this request (%1).</translation>
    </message>
</context>
<context>
    <name>AdminModels</name>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Ấp/thôn</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Số hộ</source>
        <translation>Households</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Tình nguyện viên</source>
        <translation>Volunteers</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Đang dùng</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Đã gộp vào %1</source>
        <translation>Merged into %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Đã ngừng dùng</source>
        <translation>Retired</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Họ tên</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Ấp/thôn phụ trách</source>
        <translation>Hamlets</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Tài khoản</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>%1 (bạn)</source>
        <translation>%1 (you)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Cả xã</source>
        <translation>Whole commune</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Đã khóa</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Lúc</source>
        <translation>When</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Người làm</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Việc</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Đối tượng</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Thay đổi</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Chuyển sang</source>
        <translation>Moves to</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Chủ hộ</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_models.py"/>
        <source>Số người</source>
        <translation>People</translation>
    </message>
</context>
<context>
    <name>AdminWindow</name>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Quản trị xã</source>
        <translation>Commune administration</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>&amp;Làm mới</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đọc lại danh sách từ máy chủ (F5)</source>
        <translation>Read the lists from the server again (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>&amp;Thêm ấp…</source>
        <translation>&amp;Add hamlet…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Thêm một ấp/thôn mới</source>
        <translation>Add a new hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đổi tê&amp;n…</source>
        <translation>Re&amp;name…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>&amp;Gộp vào…</source>
        <translation>&amp;Merge into…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Chuyển mọi hộ của ấp này sang một ấp khác rồi ngừng dùng nó</source>
        <translation>Move every household of this hamlet to another one, then retire it</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Tác&amp;h…</source>
        <translation>S&amp;plit…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Tạo ấp mới từ một phần các hộ của ấp này</source>
        <translation>Make new hamlets out of some of this hamlet's households</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Ngừng &amp;dùng…</source>
        <translation>Re&amp;tire…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Chỉ được khi ấp không còn hộ nào</source>
        <translation>Only once the hamlet has no households left</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Ấp đã gộp hoặc ngừng dùng hiện màu xám: không còn hộ nào, nhưng báo cáo của các kỳ trước vẫn ghi tên chúng.</source>
        <translation>Merged or retired hamlets are grey: they have no households, but reports of past periods still name them.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Ấp/thôn</source>
        <translation>Hamlets</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Thêm người &amp;dùng…</source>
        <translation>Add &amp;user…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>&amp;Sửa…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Họ tên, vai trò, ấp phụ trách</source>
        <translation>Name, role, hamlets</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>&amp;Khóa tài khoản…</source>
        <translation>&amp;Lock account…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>&amp;Mở khóa tài khoản…</source>
        <translation>Un&amp;lock account…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đặt lại mật khẩ&amp;u…</source>
        <translation>Reset pass&amp;word…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Người dùng</source>
        <translation>Users</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Các thay đổi gần nhất về ấp và người dùng của xã, mới nhất ở trên; giờ Việt Nam.</source>
        <translation>The latest changes to the commune's hamlets and users, newest first; Vietnam time.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Nhật ký</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Tổ trưởng xem được danh sách ấp và thêm ấp mới. Đổi tên, gộp, tách ấp và quản lý người dùng do quản trị xã làm.</source>
        <translation>Team leaders see the hamlets and add new ones. Renaming, merging and splitting hamlets and managing users is for commune admins.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đang tải danh sách từ máy chủ…</source>
        <translation>Loading the lists from the server…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>%1: %2 ấp/thôn đang dùng, %3 người dùng</source>
        <translation>%1: %2 active hamlets, %3 users</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>%1: %2 ấp/thôn đang dùng</source>
        <translation>%1: %2 active hamlets</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đã cập nhật lúc %1.</source>
        <translation>Updated at %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>xã</source>
        <translation>the commune</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Bạn không thể khóa tài khoản của chính mình.</source>
        <translation>You cannot lock your own account.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Ngừng dùng %1? Ấp sẽ không còn để chọn khi ghi hộ mới, nhưng báo cáo của các kỳ trước vẫn ghi tên %1. Chỉ ngừng dùng được ấp không còn hộ nào và không phải ấp duy nhất của một tình nguyện viên.</source>
        <translation>Retire %1? It can no longer be chosen for new households, but reports of past periods still name %1. Only a hamlet with no households that is no volunteer's only hamlet can be retired.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Ngừng dùng ấp/thôn</source>
        <translation>Retire hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>&amp;Ngừng dùng</source>
        <translation>&amp;Retire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đã ngừng dùng %1.</source>
        <translation>%1 retired.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Khóa tài khoản</source>
        <translation>Lock account</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>&amp;Khóa tài khoản</source>
        <translation>&amp;Lock account</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Khóa tài khoản %1 (%2)? %1 bị đăng xuất ngay trên mọi máy và không đăng nhập được nữa cho đến khi được mở khóa. Những gì %1 đã ghi mà chưa gửi vẫn nằm trên máy của họ, và sẽ gửi được khi tài khoản được mở lại.</source>
        <translation>Lock the account of %1 (%2)? %1 is signed out at once on every computer and cannot sign in until unlocked. What %1 recorded but has not sent stays on their computer, and can be sent once the account is unlocked.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đã khóa tài khoản %1: %1 đã bị đăng xuất trên mọi máy.</source>
        <translation>Locked the account of %1: %1 was signed out on every computer.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Mở khóa tài khoản</source>
        <translation>Unlock account</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>&amp;Mở khóa</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Mở khóa tài khoản %1 (%2)? %1 đăng nhập lại được bằng mật khẩu đang có.</source>
        <translation>Unlock the account of %1 (%2)? %1 can sign in again with their current password.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đã mở khóa tài khoản %1.</source>
        <translation>Unlocked the account of %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đặt lại mật khẩu của %1 (%2)? Mật khẩu cũ hết hiệu lực ngay và %1 bị đăng xuất trên mọi máy. Mật khẩu mới chỉ hiện một lần.</source>
        <translation>Reset the password of %1 (%2)? The old password stops working at once and %1 is signed out on every computer. The new password is shown only once.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đã đặt lại mật khẩu của %1.</source>
        <translation>Reset the password of %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đặt lại mật khẩu</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_window.py"/>
        <source>Đặt &amp;lại mật khẩu</source>
        <translation>&amp;Reset password</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message numerus="yes">
        <location filename="../../desktop/ui/app.py" line="169"/>
        <source>Đang tạo xã mẫu (%n hộ)…</source>
        <translation>
            <numerusform>Creating the demo commune (%n household)…</numerusform>
            <numerusform>Creating the demo commune (%n households)…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="190"/>
        <source>Không đặt mật khẩu?</source>
        <translation>Continue without a password?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="191"/>
        <source>Không có mật khẩu, dữ liệu của người dân trong hồ sơ này KHÔNG được bảo vệ: ai dùng được máy này (hoặc lấy được ổ đĩa) cũng đọc được. Có thể đặt sau trong Tệp › Đặt mật khẩu hồ sơ…</source>
        <translation>Without a password, the residents' data in this profile is NOT protected: anyone who can use this computer (or take its disk) can read it. You can set one later in File › Set profile password…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="197"/>
        <source>Bỏ qua, không mã hóa</source>
        <translation>Skip, do not encrypt</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="199"/>
        <source>Đặt mật khẩu</source>
        <translation>Set password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py"/>
        <source>Hồ sơ “%1” đang được mở trong một cửa sổ Gõ Cửa khác. Hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại hồ sơ.</source>
        <translation>Profile “%1” is already open in another window of Gõ Cửa. Use that window, or close it and open the profile again.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/first_run.py" line="1"/>
        <source>Đang tạo hồ sơ…</source>
        <translation>Creating the profile…</translation>
    </message>
</context>
<context>
    <name>ConflictsPanel</name>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="87"/>
        <source>Đã xóa</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="88"/>
        <source>Bản ghi đã được sửa</source>
        <translation>The record was edited</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="104"/>
        <source>Hãy nhập “có” hoặc “không”.</source>
        <translation>Please type “yes” or “no”.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="111"/>
        <source>Hãy nhập một số.</source>
        <translation>Please type a number.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="118"/>
        <source>Hãy nhập một số nguyên.</source>
        <translation>Please type a whole number.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="133"/>
        <source>Loại</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="133"/>
        <source>Bản ghi</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="133"/>
        <source>Trường</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="133"/>
        <source>Giá trị đang dùng</source>
        <translation>Current value</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="134"/>
        <source>Người ghi</source>
        <translation>Written by</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="134"/>
        <source>Giá trị bị thay</source>
        <translation>Replaced value</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="134"/>
        <source>Lúc</source>
        <translation>When</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="199"/>
        <source>Xung đột dữ liệu</source>
        <translation>Data conflicts</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="205"/>
        <source>Khi hai người sửa cùng một thông tin lúc không có mạng, máy chủ giữ giá trị ghi sau và lưu giá trị kia ở đây. Hãy chọn giá trị đúng, hoặc nhập giá trị mới.</source>
        <translation>When two people edit the same information offline, the server keeps the later value and stores the other here. Choose the right value, or type a new one.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="232"/>
        <source>&amp;Giữ giá trị đang dùng</source>
        <translation>&amp;Keep the current value</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="234"/>
        <source>Dùng giá trị &amp;bị thay</source>
        <translation>Use the &amp;replaced value</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="236"/>
        <source>&amp;Khôi phục bản ghi</source>
        <translation>&amp;Restore the record</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="238"/>
        <source>Giữ việc &amp;xóa</source>
        <translation>Keep it &amp;deleted</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="243"/>
        <source>Dùng giá trị &amp;mới</source>
        <translation>Use the &amp;new value</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="258"/>
        <source>&amp;Làm mới</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="260"/>
        <source>Đó&amp;ng</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="242"/>
        <source>Hoặc nhập giá trị mới…</source>
        <translation>Or type a new value…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="281"/>
        <source>Đang tải danh sách xung đột…</source>
        <translation>Loading conflicts…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="290"/>
        <source>%1 xung đột đang chờ giải quyết.</source>
        <translation>%1 conflicts waiting to be settled.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="292"/>
        <source>Không có xung đột nào cần giải quyết.</source>
        <translation>No conflicts to settle.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="300"/>
        <source>Máy chủ không nhận giá trị này. Hãy kiểm tra lại giá trị mới.</source>
        <translation>The server did not accept this value. Please check the new value.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="336"/>
        <source>Đang gửi quyết định lên máy chủ…</source>
        <translation>Sending the decision to the server…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="347"/>
        <source>Đã giải quyết. Còn %1 xung đột.</source>
        <translation>Settled. %1 conflicts left.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="380"/>
        <source>%1 đã xóa bản ghi “%2” trong khi %3 đang sửa nó. Khôi phục bản ghi (với các sửa đổi của %3) hay giữ việc xóa?</source>
        <translation>%1 deleted the record “%2” while %3 was editing it. Restore the record (with %3&apos;s edits) or keep it deleted?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conflicts_panel.py" line="387"/>
        <source>%1 của “%2”: đang dùng “%3” (%4 ghi); giá trị bị thay là “%5” (%6 ghi).</source>
        <translation>%1 of “%2”: using “%3” (written by %4); the replaced value is “%5” (written by %6).</translation>
    </message>
</context>
<context>
    <name>CoverageDashboard</name>
    <message>
        <source>Theo tháng, từ nhật ký thăm hộ (%)</source>
        <translation>By month, from the visit log (%)</translation>
    </message>
    <message>
        <source>Theo ấp (%)</source>
        <translation>By hamlet (%)</translation>
    </message>
    <message>
        <source>Đã chép tóm tắt của %1. Mở nhóm Zalo và dán (Ctrl+V).</source>
        <translation>The summary of %1 is copied. Open the Zalo group and paste (Ctrl+V).</translation>
    </message>
    <message>
        <source>cả xã</source>
        <translation>the commune</translation>
    </message>
    <message>
        <source>Chép tóm tắt độ phủ so với chỉ tiêu (của ấp đang chọn trong bảng, hoặc cả xã) để dán vào nhóm Zalo</source>
        <translation>Copy the coverage against targets (of the hamlet selected in the table, or of the commune) to paste into the Zalo group</translation>
    </message>
    <message>
        <source>Chép tóm tắt gửi Zalo</source>
        <translation>Copy summary for Zalo</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="277"/>
        <source>Kỳ: năm hoặc quý (chỉ tiêu và tuổi tính theo kỳ)</source>
        <translation>Period: year or quarter (targets and ages follow the period)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="283"/>
        <source>Tỷ lệ (%)</source>
        <translation>Rate (%)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="283"/>
        <source>Chỉ tiêu (%)</source>
        <translation>Target (%)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="284"/>
        <source>Còn phải đạt</source>
        <translation>Still to reach</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="285"/>
        <source>Đã đạt / đủ điều kiện</source>
        <translation>Reached / eligible</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="287"/>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="288"/>
        <source>Hiện CCCD/SĐT khi xuất</source>
        <translation>Show ID/phone in exports</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="291"/>
        <source>Kỳ:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="293"/>
        <source>Hiện:</source>
        <translation>Show:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="295"/>
        <source>Biểu đồ:</source>
        <translation>Chart:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="299"/>
        <source>Xuất Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="299"/>
        <source>Xuất PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="300"/>
        <source>Xuất CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="314"/>
        <source>Xanh: đạt chỉ tiêu · vàng: kém dưới 10 điểm · đỏ: chưa đạt. Di chuột lên ô để xem số đã đạt, chỉ tiêu và số còn phải đạt.</source>
        <translation>Green: target met · yellow: under 10 points short · red: not met. Hover a cell for the figures, the target and what is still to reach.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="333"/>
        <source>Ấp/thôn</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="334"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="342"/>
        <source>Biểu đồ</source>
        <translation>Chart</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="343"/>
        <source>Tình nguyện viên</source>
        <translation>Volunteer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="344"/>
        <source>Hộ chưa thăm</source>
        <translation>Households not visited</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="384"/>
        <source>Đang tính…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="412"/>
        <source>Kỳ %1 · %2 ấp · %3 hộ chưa thăm</source>
        <translation>Period %1 · %2 hamlets · %3 households not visited</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="418"/>
        <source> · %1 tình nguyện viên chưa đồng bộ trong 7 ngày</source>
        <translation> · %1 volunteers not synced for 7 days</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="432"/>
        <source>Không tính được số liệu: </source>
        <translation>Could not compute the figures: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="446"/>
        <source>Chỉ tiêu này không ghi trong nhật ký thăm hộ</source>
        <translation>This indicator is not recorded in the visit log</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="466"/>
        <source>Xuất báo cáo</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="472"/>
        <source>Dữ liệu cá nhân</source>
        <translation>Personal data</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="473"/>
        <source>Tệp sẽ có số CCCD và số điện thoại đầy đủ (Nghị định 13/2023). Chỉ chia sẻ cho người có thẩm quyền. Tiếp tục?</source>
        <translation>The file will hold full ID and phone numbers (Decree 13/2023). Share it only with authorised people. Continue?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="481"/>
        <source>Không xuất được</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="483"/>
        <source>Đã xuất </source>
        <translation>Exported </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="1"/>
        <source>Đang xuất báo cáo…</source>
        <translation>Exporting the report…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="1"/>
        <source>Đã dừng xuất.</source>
        <translation>Export stopped.</translation>
    </message>
</context>
<context>
    <name>CoverageTableModel</name>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="141"/>
        <source>Ấp/thôn</source>
        <translation>Hamlet</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/dashboard.py" line="164"/>
        <source>%n hộ chưa được thăm</source>
        <translation>
            <numerusform>%n household not yet visited</numerusform>
            <numerusform>%n households not yet visited</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="178"/>
        <source>Đã đạt %1 / đủ điều kiện %2</source>
        <translation>Reached %1 / eligible %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="181"/>
        <source>Chỉ tiêu %1%, còn phải đạt %2 người/hộ</source>
        <translation>Target %1%, %2 persons/households still to reach</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dashboard.py" line="185"/>
        <source>Chưa đặt chỉ tiêu</source>
        <translation>No target set</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Chủ hộ cùng số CCCD</source>
        <translation>Heads share a citizen ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Cùng số CCCD</source>
        <translation>Same citizen ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Cùng tên chủ hộ và địa chỉ</source>
        <translation>Same head's name and address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Loại</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Lý do</source>
        <translation>Why</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Bên trái</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Bên phải</source>
        <translation>Right</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Ấp/thôn</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Hộ</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Người</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>(chưa có ai)</source>
        <translation>(nobody yet)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Chủ hộ</source>
        <translation>Head</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>CCCD chủ hộ</source>
        <translation>Head's citizen ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Nhân khẩu (%1)</source>
        <translation>Members (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>CCCD</source>
        <translation>Citizen ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Quan hệ với chủ hộ</source>
        <translation>Relation to the head</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Lần thăm</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Hạng mục hỗ trợ</source>
        <translation>Support items</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Hộ và người có thể trùng</source>
        <translation>Possible duplicate households and persons</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Hai tình nguyện viên có thể đã cùng nhập một hộ hoặc một người khi không có mạng. Hãy so sánh hai bên: gộp lại (giữ bên trái hoặc bên phải), hoặc đánh dấu “không phải trùng” để không hiện lại trên máy này.</source>
        <translation>Two volunteers may have entered the same household or person while offline. Compare the two sides: merge them (keeping the left or the right one), or mark them “not a duplicate” so they are not shown again on this laptop.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Gộp, giữ bên &amp;trái</source>
        <translation>Merge, keep the &amp;left</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Gộp, giữ bên &amp;phải</source>
        <translation>Merge, keep the &amp;right</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>&amp;Không phải trùng</source>
        <translation>&amp;Not a duplicate</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>&amp;Làm mới</source>
        <translation>Re&amp;fresh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Đó&amp;ng</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Đang tìm hộ và người có thể trùng…</source>
        <translation>Looking for possible duplicates…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>%1 cặp có thể trùng.</source>
        <translation>%1 possible duplicate pair(s).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Không có hộ hay người nào có thể trùng.</source>
        <translation>No possible duplicates.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Gộp hộ “%1” vào hộ “%2”?

Người, lần thăm và hạng mục của hộ “%1” được chuyển sang hộ “%2” (người trùng được gộp làm một), rồi hộ “%1” bị xóa. Không hoàn tác được.</source>
        <translation>Merge household “%1” into household “%2”?

The persons, visits and support items of “%1” go to “%2” (a person in both becomes one), then “%1” is deleted. This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Gộp “%1” vào “%2”?

Hạng mục hỗ trợ và thông tin còn trống được lấy từ “%1”, rồi “%1” bị xóa. Không hoàn tác được.</source>
        <translation>Merge “%1” into “%2”?

Support items, and the details “%2” lacks, are taken from “%1”, then “%1” is deleted. This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Gộp bản ghi trùng</source>
        <translation>Merge duplicates</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Đang gộp…</source>
        <translation>Merging…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Đã gộp.</source>
        <translation>Merged.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py"/>
        <source>Đã đánh dấu không phải trùng. Còn %1 cặp.</source>
        <translation>Marked as not a duplicate. %1 pair(s) left.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/duplicates_dialog.py" line="1"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop/ui/errors.py" line="55"/>
        <source>Không có quyền ghi vào thư mục dữ liệu. Hãy kiểm tra quyền của thư mục.</source>
        <translation>No permission to write to the data folder. Please check the folder&apos;s permissions.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/errors.py" line="59"/>
        <source>Lỗi đọc/ghi tệp: %s</source>
        <translation>File read/write error: %s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/errors.py" line="60"/>
        <source>Đã xảy ra lỗi không mong muốn. Dữ liệu đã lưu vẫn an toàn; bạn có thể tiếp tục làm việc.</source>
        <translation>An unexpected error occurred. Saved data is safe; you can keep working.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/errors.py" line="100"/>
        <source>Gõ Cửa: có lỗi</source>
        <translation>Gõ Cửa: something went wrong</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/errors.py" line="103"/>
        <source>Chi tiết đã được ghi vào tệp nhật ký:
%s</source>
        <translation>The details were written to the log file:
%s</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../desktop/ui/app.py" line="88"/>
        <source>Chào mừng đến với Gõ Cửa</source>
        <translation>Welcome to Gõ Cửa</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="88"/>
        <source>Hồ sơ mới</source>
        <translation>New profile</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="92"/>
        <source>Mỗi tình nguyện viên có một hồ sơ riêng trên máy này. Dữ liệu được lưu trên máy, dùng được cả khi không có mạng.</source>
        <translation>Each volunteer has their own profile on this computer. Data is kept on the computer and works without a connection.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="96"/>
        <source>&amp;Tên của bạn (tên hồ sơ):</source>
        <translation>Your &amp;name (profile name):</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="98"/>
        <source>Ví dụ: Chị Lan - ấp Bình Minh</source>
        <translation>For example: Chị Lan - ấp Bình Minh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="101"/>
        <source>Xã/phường:</source>
        <translation>Commune/ward:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="104"/>
        <source>Các ấp/thôn bạn phụ trách (mỗi dòng một ấp):</source>
        <translation>Hamlets you cover (one per line):</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="113"/>
        <source>Tạo hồ sơ</source>
        <translation>Create profile</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="115"/>
        <source>Dùng thử với dữ liệu mẫu</source>
        <translation>Try with demo data</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="116"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="116"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/app.py" line="128"/>
        <source>Vui lòng nhập tên của bạn (tên hồ sơ).</source>
        <translation>Please enter your name (the profile&apos;s name).</translation>
    </message>
</context>
<context>
    <name>FollowUpListWidget</name>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="146"/>
        <source>Lọc theo tên, địa chỉ, hạng mục (không cần dấu)</source>
        <translation>Filter by name, address, item (accents optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="148"/>
        <source>Hiện CCCD/SĐT</source>
        <translation>Show ID/phone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="149"/>
        <source>In danh sách (PDF)…</source>
        <translation>Print list (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="150"/>
        <source>Xuất Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="164"/>
        <source>Ấp/thôn:</source>
        <translation>Hamlet:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="193"/>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="206"/>
        <source>%1 người/hộ cần quay lại</source>
        <translation>%1 persons/households to revisit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="216"/>
        <source>Danh sách cần quay lại – %1 – ngày %2</source>
        <translation>Follow-up list – %1 – %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="231"/>
        <source>In danh sách</source>
        <translation>Print list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="235"/>
        <location filename="../../desktop/ui/follow_up_list.py" line="250"/>
        <source>Đã lưu </source>
        <translation>Saved </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="246"/>
        <source>Xuất Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="1"/>
        <source>Đang in danh sách ra PDF…</source>
        <translation>Printing the list to PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="1"/>
        <source>Đang xuất Excel…</source>
        <translation>Exporting to Excel…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_list.py" line="1"/>
        <source>Đã dừng xuất.</source>
        <translation>Export stopped.</translation>
    </message>
</context>
<context>
    <name>HamletNameDialog</name>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Thêm ấp/thôn</source>
        <translation>Add hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đổi tên ấp/thôn</source>
        <translation>Rename hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Thêm ấp</source>
        <translation>&amp;Add hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đổi &amp;tên</source>
        <translation>Re&amp;name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tên ấp/thôn mới của %1. Tên không được trùng với một ấp đang dùng (không tính dấu và chữ hoa).</source>
        <translation>The name of a new hamlet of %1. It must differ from every active hamlet's name (accents and case aside).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tên mới cho %1. Các hộ, người phụ trách và báo cáo vẫn theo ấp này, dưới tên mới.</source>
        <translation>A new name for %1. Its households, volunteers and reports stay with it, under the new name.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Ví dụ: Ấp Bình Minh</source>
        <translation>For example: Ấp Bình Minh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Tên ấp/thôn:</source>
        <translation>&amp;Hamlet name:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Hãy nhập tên ấp/thôn.</source>
        <translation>Please type the hamlet's name.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đã thêm %1.</source>
        <translation>Added %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đã đổi tên %1 thành %2.</source>
        <translation>Renamed %1 to %2.</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="102"/>
        <source>Sửa thông tin hộ</source>
        <translation>Edit household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="102"/>
        <source>Thêm hộ gia đình</source>
        <translation>New household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="110"/>
        <source>Số nhà, đường/hẻm, tổ</source>
        <translation>House number, street/lane, group</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="114"/>
        <source>Ấp/&amp;thôn</source>
        <translation>&amp;Hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="115"/>
        <source>Đị&amp;a chỉ</source>
        <translation>&amp;Address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="116"/>
        <source>Số điện t&amp;hoại</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="117"/>
        <source>&amp;Ghi chú</source>
        <translation>&amp;Note</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="121"/>
        <source>&amp;Tình trạng</source>
        <translation>S&amp;tatus</translation>
    </message>
</context>
<context>
    <name>HouseholdPageWidget</name>
    <message>
        <source>Chưa có ai trong hộ: Thêm người (Ctrl+Shift+N)</source>
        <translation>Nobody in this household yet: Add person (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <source>Đã gặp</source>
        <translation>Met</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="72"/>
        <source>Ghi lần thăm (Ctrl+L)</source>
        <translation>Log visit (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="75"/>
        <source>Thêm người (Ctrl+Shift+N)</source>
        <translation>Add person (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="76"/>
        <source>Sửa hộ (Ctrl+E)</source>
        <translation>Edit household (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="111"/>
        <source>Bấm vào ô hoặc gõ số để đổi:</source>
        <translation>Click a cell or type a digit to change it:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="121"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="122"/>
        <source>Ngày sinh</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="123"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="124"/>
        <source>Quan hệ</source>
        <translation>Relation</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="125"/>
        <source>CCCD</source>
        <translation>ID card</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="126"/>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="128"/>
        <source>ĐT thông minh</source>
        <translation>Smartphone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="129"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="129"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="133"/>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="144"/>
        <source>Sửa người đang chọn</source>
        <translation>Edit selected person</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="145"/>
        <source>Chuyển sang hộ khác…</source>
        <translation>Move to another household…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="150"/>
        <source>Xóa (nhập nhầm)…</source>
        <translation>Delete (entered by mistake)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="161"/>
        <source>Ngày</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="162"/>
        <source>Kết quả</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="163"/>
        <source>Người thăm</source>
        <translation>Visited by</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="164"/>
        <source>Hẹn lại</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="165"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="166"/>
        <source>Đã làm</source>
        <translation>Done in visit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="171"/>
        <source>Lịch sử thăm</source>
        <translation>Visit history</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="172"/>
        <source>Thành viên</source>
        <translation>Members</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="189"/>
        <source>Hộ</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="229"/>
        <source>Chọn một hộ trong danh sách</source>
        <translation>Choose a household in the list</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/household_page.py" line="243"/>
        <source>%n người</source>
        <translation>
            <numerusform>%n person</numerusform>
            <numerusform>%n persons</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="245"/>
        <source>ĐT %s</source>
        <translation>Phone %s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="253"/>
        <source>Cả hộ</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/household_page.py" line="1"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Chọn một dòng để xem đủ kết quả và ghi chú của nó.</source>
        <translation>Choose a row to read its whole result and notes.</translation>
    </message>
    <message>
        <source>Dòng %1: %2</source>
        <translation>Line %1: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Nhập %1 người mới (%2 hộ mới)</source>
        <translation>Import %1 new persons (%2 new households)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Nhập danh sách hộ từ bảng tính</source>
        <translation>Import a household list from a spreadsheet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Chọn tệp…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Chưa chọn tệp (.xlsx, .xls, .ods hoặc .csv)</source>
        <translation>No file chosen (.xlsx, .xls, .ods or .csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Theo tệp (cột Ấp, tên trang)</source>
        <translation>From the file (Hamlet column, sheet name)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Cột nào là thông tin gì</source>
        <translation>Which column holds what</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Ấp chưa có</source>
        <translation>New hamlets</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Nhập</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Chọn danh sách</source>
        <translation>Choose a list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Bảng tính (*.xlsx *.xls *.ods *.csv);;*</source>
        <translation>Spreadsheets (*.xlsx *.xls *.ods *.csv);;*</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Đang đọc tệp…</source>
        <translation>Reading the file…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Các ấp dưới đây có trong tệp nhưng chưa có trong xã: chọn ấp tương ứng, hoặc tạo ấp mới (ấp của hồ sơ này, được ghép với ấp trên máy chủ khi kết nối).</source>
        <translation>These hamlets are in the file but not in the commune: choose the matching hamlet, or create a new one (a hamlet of this profile, matched with the server&apos;s when the profile joins).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Các ấp dưới đây có trong tệp nhưng chưa có trong xã: chọn ấp tương ứng. Hồ sơ đã kết nối máy chủ nên ấp mới phải được tạo trên máy chủ trước.</source>
        <translation>These hamlets are in the file but not in the commune: choose the matching hamlet. The profile has joined the server, so a new hamlet must be created on the server first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Đang ghi…</source>
        <translation>Writing…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Ấp cho hộ không ghi ấp:</source>
        <translation>Hamlet for households without one:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Mọi dòng</source>
        <translation>All rows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Dòng người</source>
        <translation>Persons&apos; rows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Dòng lỗi</source>
        <translation>Rows with errors</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Dòng đã sửa</source>
        <translation>Repaired rows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Dòng bỏ qua</source>
        <translation>Skipped rows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Người mới</source>
        <translation>New persons</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Người cập nhật</source>
        <translation>Updated persons</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Trang:</source>
        <translation>Sheet:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Xem:</source>
        <translation>Show:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Cột trong tệp</source>
        <translation>Column in the file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Ví dụ</source>
        <translation>Example</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Là thông tin</source>
        <translation>Holds</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Ấp ghi trong tệp</source>
        <translation>Hamlet in the file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Số dòng</source>
        <translation>Rows</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Là ấp</source>
        <translation>Is hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>— bỏ qua —</source>
        <translation>— skip —</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Mọi ấp trong tệp đều đã có.</source>
        <translation>Every hamlet of the file is known.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>— chưa chọn (không nhập) —</source>
        <translation>— not chosen (not imported) —</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Lỗi không mong muốn: </source>
        <translation>Unexpected error: </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>, cập nhật %1 người</source>
        <translation>, update %1 persons</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Không nhập gì (đã hoàn tác): </source>
        <translation>Nothing imported (rolled back): </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>%1 (không có danh sách)</source>
        <translation>%1 (no list)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Ấp chưa có (%1)</source>
        <translation>New hamlets (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Đã tạo %1 ấp mới.</source>
        <translation>Created %1 new hamlets.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Là ấp %1</source>
        <translation>Is %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Tạo ấp mới “%1”</source>
        <translation>Create hamlet “%1”</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>lỗi, không nhập</source>
        <translation>error, not imported</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>đã sửa, hãy xem lại</source>
        <translation>repaired, please check</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>chữ bảng mã cũ đã chuyển</source>
        <translation>legacy-font text converted</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>thông tin thay đổi</source>
        <translation>changed</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>bỏ qua</source>
        <translation>skipped</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>(cột %1)</source>
        <translation>(column %1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>%1 — %2 người, %3 lỗi</source>
        <translation>%1 — %2 persons, %3 errors</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Đã nhập %1 người mới trong %2 hộ mới, cập nhật %3 người; %4 dòng lỗi không nhập.</source>
        <translation>Imported %1 new persons in %2 new households, updated %3 persons; %4 rows with errors not imported.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Trang này: %1 mới · %2 cập nhật · %3 không đổi · %4 đã sửa · %5 lỗi</source>
        <translation>This sheet: %1 new · %2 updated · %3 unchanged · %4 repaired · %5 errors</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../desktop/ui/labels.py" line="103"/>
        <location filename="../../desktop/ui/labels.py" line="115"/>
        <source>Đã chuyển đi</source>
        <translation>Moved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="82"/>
        <source>Chủ hộ</source>
        <translation>Head</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="83"/>
        <source>Vợ/chồng</source>
        <translation>Spouse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="84"/>
        <source>Con</source>
        <translation>Child</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="85"/>
        <source>Cha/mẹ</source>
        <translation>Parent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="86"/>
        <source>Cháu</source>
        <translation>Grandchild</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="87"/>
        <source>Khác</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="95"/>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="95"/>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="102"/>
        <source>Đang ở</source>
        <translation>Living here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="104"/>
        <source>Không còn</source>
        <translation>Gone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="113"/>
        <source>Có mặt</source>
        <translation>Present</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="114"/>
        <source>Đi làm xa</source>
        <translation>Away for work</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/labels.py" line="116"/>
        <source>Đã mất</source>
        <translation>Deceased</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="110"/>
        <source>Ấp / thôn</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="110"/>
        <source>Số hộ</source>
        <translation>Homes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="110"/>
        <source>VNeID 2</source>
        <translation>VNeID 2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="111"/>
        <source>Cả xã</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="122"/>
        <source>Tỷ lệ người lớn có định danh điện tử mức 2</source>
        <translation>Share of adults with a level-2 e-ID</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="249"/>
        <source>Hộ gia đình</source>
        <translation>Households</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="250"/>
        <source>Cần quay lại</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="583"/>
        <source>Ngoại tuyến</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="586"/>
        <source>Chưa kết nối máy chủ; mọi thay đổi được lưu trên máy.</source>
        <translation>Not connected to the server; every change is saved on this computer.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/main_window.py" line="588"/>
        <source>Chưa gửi: %n thay đổi</source>
        <translation>
            <numerusform>Not sent: %n change</numerusform>
            <numerusform>Not sent: %n changes</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="590"/>
        <source>Đồng bộ lần cuối: %s</source>
        <translation>Last sync: %s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="591"/>
        <source>chưa lần nào</source>
        <translation>never</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py"/>
        <source>Hộ và người có thể &amp;trùng…</source>
        <translation>Possible &amp;duplicates…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py"/>
        <source>Hộ và người có thể &amp;trùng (%1)…</source>
        <translation>Possible &amp;duplicates (%1)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py"/>
        <source>Có %1 cặp hộ hoặc người có thể trùng: xem menu Hộ.</source>
        <translation>%1 possible duplicate pair(s): see the Household menu.</translation>
    </message>
</context>
<context>
    <name>FollowUpTab</name>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source> ngày</source>
        <translation> days</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Hạng mục đang chờ (công an, ngân hàng…) lâu hơn:</source>
        <translation>Items pending (police, bank…) for longer than:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="566"/>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Hộ cần quay lại hôm nay hoặc đã trễ hẹn: %n</source>
        <translation>
            <numerusform>Households to revisit today or overdue: %n</numerusform>
            <numerusform>Households to revisit today or overdue: %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Không đọc được dữ liệu (chi tiết trong nhật ký)</source>
        <translation>Could not read the data (details in the log)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Hẹn ngày</source>
        <translation>Due on</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Trễ (ngày)</source>
        <translation>Overdue (days)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Ấp</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="219"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Ghi chú lần trước</source>
        <translation>Last note</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Hạng mục</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Chờ từ</source>
        <translation>Pending since</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Số ngày</source>
        <translation>Days</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/follow_up_tab.py" line="1"/>
        <source>hôm nay</source>
        <translation>today</translation>
    </message>
</context>
<context>
    <name>HouseholdsTab</name>
    <message>
        <source>Chưa có hộ nào.

Thêm từng hộ:
Hộ → Thêm hộ mới (Ctrl+N)

hoặc nhập danh sách đang có:
Tệp → Nhập từ bảng tính (Ctrl+I)</source>
        <translation>No households yet.

Add them one by one:
Household → New household (Ctrl+N)

or import the list you keep:
File → Import from spreadsheet (Ctrl+I)</translation>
    </message>
    <message>
        <source>Không tìm thấy hộ nào khớp “%1”.</source>
        <translation>No household matches “%1”.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Tìm tên, địa chỉ, SĐT, số CCCD… (Ctrl+F)</source>
        <translation>Search name, address, phone, ID number… (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Người tìm thấy</source>
        <translation>Person found</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="493"/>
        <source>Chủ hộ</source>
        <translation>Head</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Không đọc được dữ liệu (chi tiết trong nhật ký)</source>
        <translation>Could not read the data (details in the log)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Xóa người nhập nhầm</source>
        <translation>Delete a person entered by mistake</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="219"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Người</source>
        <translation>Persons</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Đang tìm…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="566"/>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Tìm thấy %n hộ</source>
        <translation>
            <numerusform>Found %n household</numerusform>
            <numerusform>Found %n households</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>%n hộ</source>
        <translation>
            <numerusform>%n household</numerusform>
            <numerusform>%n households</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Chưa có ấp</source>
        <translation>No hamlets yet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Hồ sơ này chưa có danh sách ấp/thôn. Hãy đồng bộ với máy chủ hoặc tạo hồ sơ mới kèm danh sách ấp.</source>
        <translation>This profile has no hamlets yet. Sync with the server, or create a new profile with its hamlets.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Xóa %s khỏi hộ? Chỉ dùng khi nhập nhầm; người đã chuyển đi hoặc đã mất thì sửa tình trạng.</source>
        <translation>Delete %s from the household? Only for a mistaken entry; for someone who moved or died, change the status.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Đã lưu lần thăm</source>
        <translation>Visit saved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/households_tab.py" line="1"/>
        <source>Không lưu được</source>
        <translation>Could not save</translation>
    </message>
</context>
<context>
    <name>LeaderTabs</name>
    <message>
        <location filename="../../desktop/ui/leader_tabs.py" line="1"/>
        <source>Danh sách cần hỗ trợ</source>
        <translation>Who needs help</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/leader_tabs.py" line="1"/>
        <source>Độ phủ</source>
        <translation>Coverage</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/leader_tabs.py" line="1"/>
        <source>Chỉ tiêu</source>
        <translation>Targets</translation>
    </message>
</context>
<context>
    <name>MainMenus</name>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Đổi &amp;hồ sơ</source>
        <translation>Switch &amp;profile</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Tạo hồ sơ mới…</source>
        <translation>New profile…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Đặt &amp;mật khẩu hồ sơ…</source>
        <translation>Set profile &amp;password…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Nhập từ bảng tính…</source>
        <translation>&amp;Import from spreadsheet…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Xuất báo cáo…</source>
        <translation>E&amp;xport report…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Thoát</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Hộ</source>
        <translation>House&amp;hold</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Thêm &amp;hộ mới…</source>
        <translation>New &amp;household…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Sửa thông tin hộ…</source>
        <translation>&amp;Edit household…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Thêm &amp;người vào hộ…</source>
        <translation>Add &amp;person to household…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Ghi lần thăm…</source>
        <translation>&amp;Log a visit…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Đánh dấu hộ đã &amp;chuyển đi</source>
        <translation>Mark household &amp;moved</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Đánh dấu hộ &amp;không còn</source>
        <translation>Mark household &amp;gone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Đánh dấu hộ đang ở</source>
        <translation>Mark household living here</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py"/>
        <source>Hộ và người có thể &amp;trùng…</source>
        <translation>Possible &amp;duplicates…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py"/>
        <source>Hộ hoặc người được nhập hai lần trên hai máy, để tổ trưởng gộp lại</source>
        <translation>Households or persons entered twice on two laptops, for the team leader to merge</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Xem</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Tìm kiếm</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Hộ gia đình</source>
        <translation>&amp;Households</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Cần quay lại</source>
        <translation>&amp;Follow-ups</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Danh sách ấp</source>
        <translation>&amp;Hamlet list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Làm mới</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Ngôn ngữ</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Trợ &amp;giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Phím tắt</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>&amp;Giới thiệu</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Phím tắt</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Giới thiệu Gõ Cửa</source>
        <translation>About Gõ Cửa</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Tìm hộ (gõ không dấu cũng được); ↓ hoặc Enter: vào danh sách</source>
        <translation>Find a household (accents optional); ↓ or Enter: into the list</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Chọn hộ trong danh sách; Enter: vào bảng hỗ trợ</source>
        <translation>Choose a household in the list; Enter: into the support grid</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Ghi lần thăm của hộ đang chọn</source>
        <translation>Log a visit to the selected household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Thêm hộ mới</source>
        <translation>New household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Thêm người vào hộ</source>
        <translation>Add a person to the household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Sửa thông tin hộ</source>
        <translation>Edit household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Hộ gia đình / Cần quay lại</source>
        <translation>Households / Follow-ups</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Lưu lần thăm</source>
        <translation>Save the visit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Kết quả / Hẹn lại / Ghi chú (trong lần thăm)</source>
        <translation>Outcome / Follow-up / Note (in a visit)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Bỏ thay đổi ở ô đang chọn (trong lần thăm)</source>
        <translation>Undo the change in the selected cell (in a visit)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Trong bảng hỗ trợ, gõ số để đổi trạng thái ô đang chọn:</source>
        <translation>In the support grid, type a digit to set the selected cell&apos;s state:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_menus.py" line="1"/>
        <source>Gõ Cửa %s: sổ tay của Tổ công nghệ số cộng đồng.
Đi từng ngõ, gõ từng nhà, hướng dẫn từng người.</source>
        <translation>Gõ Cửa %s: the logbook of the Community Digital Technology Team.
Every lane, every door, every person.</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Gộp ấp/thôn</source>
        <translation>Merge hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Tiếp tục…</source>
        <translation>&amp;Continue…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Gộp %1 (%2 hộ) vào ấp nào?</source>
        <translation>Merge %1 (%2 households) into which hamlet?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>— Chọn ấp nhận các hộ —</source>
        <translation>— Choose the hamlet that takes the households —</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Gộp &amp;vào:</source>
        <translation>Merge &amp;into:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Quay lại</source>
        <translation>&amp;Back</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Gộp %1 vào %2:
• %3 hộ của %1 chuyển sang %2, trên máy chủ và trên mọi máy sau lần đồng bộ tới.
• Người phụ trách %1 sẽ phụ trách %2.
• %1 ngừng được dùng. Báo cáo của các kỳ trước vẫn giữ tên %1 và các hộ của nó.
Không thể hoàn tác việc gộp.</source>
        <translation>Merge %1 into %2:
• %3 households of %1 move to %2, on the server and on every computer after its next sync.
• Whoever looks after %1 will look after %2.
• %1 is retired. Reports of past periods keep the name %1 and its households.
A merge cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Hãy chọn ấp sẽ nhận các hộ.</source>
        <translation>Please choose the hamlet that takes the households.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Gộp ấp</source>
        <translation>&amp;Merge</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đã gộp %1 vào %2: chuyển %3 hộ.</source>
        <translation>Merged %1 into %2: %3 households moved.</translation>
    </message>
</context>
<context>
    <name>MovePersonDialog</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="226"/>
        <source>Chuyển %s sang hộ khác</source>
        <translation>Move %s to another household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="229"/>
        <source>Tìm hộ mới (tên, địa chỉ, số điện thoại):</source>
        <translation>Find the new household (name, address, phone):</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="240"/>
        <source>&amp;Chuyển</source>
        <translation>&amp;Move</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="241"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="265"/>
        <source>Hãy chọn hộ cần chuyển đến</source>
        <translation>Choose the household to move to</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="1"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Mật khẩu của %1</source>
        <translation>Password of %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đã đặt lại mật khẩu của %1. Mật khẩu cũ không dùng được nữa, và %1 đã bị đăng xuất trên mọi máy.</source>
        <translation>The password of %1 was reset. The old password no longer works, and %1 was signed out on every computer.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đã tạo tài khoản cho %1.</source>
        <translation>Created an account for %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Sao chép</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Chép mật khẩu vào bộ nhớ tạm để dán</source>
        <translation>Copy the password to the clipboard, to paste it</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tên đăng nhập:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Mật khẩu:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Hãy đưa mật khẩu này tận tay cho %1 (hoặc đọc qua điện thoại), không gửi vào nhóm chat. Mật khẩu chỉ hiện MỘT lần: Gõ Cửa không lưu nó, và không ai xem lại được. Nếu bị quên, hãy đặt lại mật khẩu.</source>
        <translation>Hand this password to %1 in person (or read it out on the phone), not in a group chat. It is shown ONCE: Gõ Cửa does not keep it and nobody can see it again. If it is forgotten, reset the password.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tôi đã &amp;chép lại mật khẩu để đưa cho %1</source>
        <translation>I have &amp;copied the password to give to %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đã sao chép. Hãy dán vào nơi an toàn rồi đưa cho người dùng.</source>
        <translation>Copied. Paste it somewhere safe, then give it to the user.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Mật khẩu sẽ không hiện lại. Hãy chép lại (hoặc bấm Sao chép), đánh dấu ô bên trên, rồi mới đóng.</source>
        <translation>The password will not be shown again. Copy it (or press Copy), tick the box above, then close.</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <source>Vẫn ghi là chủ hộ</source>
        <translation>Record as head anyway</translation>
    </message>
    <message>
        <source>Hộ đã có chủ hộ</source>
        <translation>The household has a head</translation>
    </message>
    <message>
        <source>Hộ này đã có chủ hộ là %s. Vẫn ghi người này cũng là chủ hộ?</source>
        <translation>This household already has a head, %s. Record this person as head too?</translation>
    </message>
    <message>
        <source>Chọn quan hệ khác</source>
        <translation>Choose another relation</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="156"/>
        <source>Sửa thông tin người</source>
        <translation>Edit person</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="156"/>
        <source>Thêm người vào hộ</source>
        <translation>Add a person to the household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="164"/>
        <source>Ví dụ: Nguyễn Văn Đức</source>
        <translation>For example: Nguyễn Văn Đức</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="166"/>
        <source>năm-tháng-ngày (1985-03-21) hoặc năm (1985)</source>
        <translation>year-month-day (1985-03-21) or year (1985)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="172"/>
        <source>12 chữ số (không bắt buộc)</source>
        <translation>12 digits (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="175"/>
        <source>Chưa rõ</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="175"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="175"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="183"/>
        <source>&amp;Họ và tên</source>
        <translation>Full &amp;name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="184"/>
        <source>&amp;Ngày sinh</source>
        <translation>&amp;Birth date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="185"/>
        <source>&amp;Giới tính</source>
        <translation>&amp;Sex</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="186"/>
        <source>&amp;Quan hệ với chủ hộ</source>
        <translation>&amp;Relation to head</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="187"/>
        <source>Số &amp;CCCD</source>
        <translation>&amp;ID card number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="188"/>
        <source>Số điện t&amp;hoại</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="189"/>
        <source>Điện thoại thông &amp;minh</source>
        <translation>S&amp;martphone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="190"/>
        <source>&amp;Tình trạng</source>
        <translation>S&amp;tatus</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="191"/>
        <source>Gh&amp;i chú</source>
        <translation>Not&amp;e</translation>
    </message>
</context>
<context>
    <name>PreviewModel</name>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Dòng</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Quan hệ</source>
        <translation>Relation</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Số CCCD</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Hộ</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Ấp</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>SĐT</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Bỏ qua</source>
        <translation>Skipped</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Lỗi – không nhập</source>
        <translation>Error – not imported</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Đã sửa</source>
        <translation>Repaired</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Nhập</source>
        <translation>Imported</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>mới</source>
        <translation>new</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>cập nhật</source>
        <translation>updated</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>không đổi</source>
        <translation>unchanged</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source> (tạo mới)</source>
        <translation> (to be created)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Thay đổi so với dữ liệu đang có</source>
        <translation>Differs from the data already kept</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>↳ hộ ở dòng %1</source>
        <translation>↳ household of row %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/import_dialog.py"/>
        <source>Trong tệp (bảng mã cũ): %1</source>
        <translation>In the file (legacy font): %1</translation>
    </message>
</context>
<context>
    <name>RejectedDialog</name>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="249"/>
        <source>Thay đổi bị máy chủ từ chối</source>
        <translation>Changes rejected by the server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="254"/>
        <source>Những thay đổi dưới đây không được máy chủ nhận và sẽ không gửi lại. Hãy sửa lại bản ghi nếu cần, hoặc báo cho tổ trưởng.</source>
        <translation>The server did not accept the changes below and they will not be sent again. Fix the record if needed, or tell the team leader.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="268"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đang gửi lên máy chủ…</source>
        <translation>Sending to the server…</translation>
    </message>
</context>
<context>
    <name>SetPassphraseDialog</name>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="210"/>
        <source>Đặt mật khẩu hồ sơ</source>
        <translation>Set profile password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="215"/>
        <source>Hồ sơ này chưa được mã hóa. Đặt mật khẩu để mã hóa toàn bộ dữ liệu trên máy; một bản sao lưu (đã mã hóa) được giữ lại.</source>
        <translation>This profile is not encrypted. Set a password to encrypt all its data on this computer; an (encrypted) backup is kept.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="218"/>
        <source>Dữ liệu của hồ sơ được mã hóa bằng mật khẩu này, để máy bị mất cũng không lộ thông tin của người dân.</source>
        <translation>The profile&apos;s data is encrypted with this password, so a lost computer does not expose residents&apos; information.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="225"/>
        <source>Hãy nhớ mật khẩu: nếu quên, không ai mở được dữ liệu chưa đồng bộ trên máy này.</source>
        <translation>Remember the password: if it is lost, nobody can open the unsynced data on this computer.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="238"/>
        <source>&amp;Mật khẩu mới:</source>
        <translation>New &amp;password:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="239"/>
        <source>&amp;Nhập lại:</source>
        <translation>&amp;Repeat:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="241"/>
        <source>Ít nhất %1 ký tự.</source>
        <translation>At least %1 characters.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="251"/>
        <source>Mã hóa hồ sơ</source>
        <translation>Encrypt profile</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="251"/>
        <source>Đặt mật khẩu</source>
        <translation>Set password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="256"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="265"/>
        <source>Mật khẩu cần ít nhất %1 ký tự.</source>
        <translation>The password needs at least %1 characters.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="267"/>
        <source>Hai lần nhập mật khẩu không khớp nhau.</source>
        <translation>The two passwords do not match.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="287"/>
        <source>Đang mã hóa hồ sơ… Vui lòng không tắt máy.</source>
        <translation>Encrypting the profile… Please do not turn the computer off.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Đúng xã của tôi (xã đã đổi tên hoặc sáp nhập)</source>
        <translation>It is my commune (renamed or merged)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="37"/>
        <source>Đăng nhập máy chủ</source>
        <translation>Sign in to the server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="43"/>
        <source>Đăng nhập để gửi dữ liệu lên máy chủ của xã và nhận dữ liệu mới. Không có mạng vẫn làm việc được bình thường.</source>
        <translation>Sign in to send data to the commune&apos;s server and receive new data. Without a connection you can still work as usual.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="52"/>
        <source>Ví dụ: https://gocua.xahoaphu.vn</source>
        <translation>For example: https://gocua.xahoaphu.vn</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="58"/>
        <source>Địa chỉ &amp;máy chủ:</source>
        <translation>Server &amp;address:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="59"/>
        <source>&amp;Tên đăng nhập:</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="60"/>
        <source>&amp;Mật khẩu:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="72"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="77"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="98"/>
        <source>Vui lòng nhập địa chỉ máy chủ</source>
        <translation>Please enter the server address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="99"/>
        <source>Vui lòng nhập tên đăng nhập</source>
        <translation>Please enter the user name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="100"/>
        <source>Vui lòng nhập mật khẩu</source>
        <translation>Please enter the password</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="108"/>
        <source>Đang đăng nhập…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="133"/>
        <source>Đã đăng nhập với tên %1. Máy này không có kho mật khẩu an toàn, nên ứng dụng không lưu phiên đăng nhập: lần sau mở ứng dụng, bạn sẽ phải đăng nhập lại.</source>
        <translation>Signed in as %1. This computer has no secure password store, so the app does not keep the session: next time you open the app you will sign in again.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="136"/>
        <source>Đã hiểu</source>
        <translation>Got it</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="166"/>
        <source>Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng %1 phút.</source>
        <translation>Too many failed sign-ins. Please try again in about %1 minutes.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="171"/>
        <source>Không kết nối được máy chủ. Hãy kiểm tra địa chỉ máy chủ và kết nối mạng.</source>
        <translation>Cannot reach the server. Please check the server address and the network connection.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in_dialog.py" line="176"/>
        <source>Máy chủ đang bận hoặc đang bảo trì. Vui lòng thử lại sau ít phút.</source>
        <translation>The server is busy or under maintenance. Please try again in a few minutes.</translation>
    </message>
</context>
<context>
    <name>SplitDialog</name>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tách ấp/thôn</source>
        <translation>Split hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Tách ấp</source>
        <translation>&amp;Split</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tách %1 (%2 hộ trên máy chủ): đặt tên cho các ấp mới, rồi chọn hộ nào chuyển sang ấp nào. Hộ không được chọn ở lại %1. Người phụ trách %1 sẽ phụ trách cả các ấp mới; có thể thu hẹp sau ở thẻ Người dùng.</source>
        <translation>Split %1 (%2 households on the server): name the new hamlets, then choose which households move to which. Households not chosen stay in %1. Whoever looks after %1 also looks after the new hamlets; narrow it later in the Users tab.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Thêm một ấp &amp;mới</source>
        <translation>Add a &amp;new hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Chọn nhiều hộ bằng Shift hoặc Ctrl rồi bấm Chuyển; hoặc bấm đúp (hay F2) vào cột “Chuyển sang” của một hộ.</source>
        <translation>Select several households with Shift or Ctrl, then press Move; or double-click (or F2) a household's “Moves to” column.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Chuyển các hộ đang &amp;chọn sang:</source>
        <translation>Move the &amp;selected households to:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Chu&amp;yển</source>
        <translation>&amp;Move</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Ngừng dùng %1 sau khi tách (mọi hộ phải chuyển sang ấp mới)</source>
        <translation>&amp;Retire %1 after the split (every household must move to a new hamlet)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đang đọc danh sách hộ trên máy này…</source>
        <translation>Reading the households on this computer…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tên ấp mới</source>
        <translation>New hamlet name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Ấp mới %1:</source>
        <translation>New hamlet %1:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Ấp mới %1</source>
        <translation>New hamlet %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Ở lại %1</source>
        <translation>Stays in %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Hãy chọn một hoặc nhiều hộ trong danh sách trước.</source>
        <translation>Please select one or more households in the list first.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Sẽ tạo %1 ấp mới và chuyển %2 hộ sang đó; %3 hộ ở lại %4.</source>
        <translation>%1 new hamlets will be made and %2 households moved to them; %3 households stay in %4.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>%1 sẽ ngừng dùng.</source>
        <translation>%1 will be retired.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Hãy chuyển nốt %1 hộ còn lại.</source>
        <translation>Move the %1 households left too.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Máy này mới có %1 trong %2 hộ của %3 trên máy chủ: hãy đồng bộ để thấy đủ.</source>
        <translation>This computer has %1 of the %2 households of %3 on the server: sync to see them all.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Hãy đặt tên cho ấp mới %1.</source>
        <translation>Please name new hamlet %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Chưa có hộ nào chuyển sang %1. Hãy chọn hộ cho ấp này, hoặc xóa tên của nó.</source>
        <translation>No household moves to %1 yet. Choose households for it, or clear its name.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Hãy đặt tên ít nhất một ấp mới và chọn hộ chuyển sang đó.</source>
        <translation>Please name at least one new hamlet and choose households for it.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Còn %1 hộ ở lại %2. Muốn ngừng dùng ấp cũ thì mọi hộ phải chuyển sang ấp mới.</source>
        <translation>%1 households stay in %2. To retire the old hamlet, every household must move to a new one.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đã tách %1: tạo %2, chuyển %3 hộ.</source>
        <translation>Split %1: made %2, %3 households moved.</translation>
    </message>
</context>
<context>
    <name>StateGridView</name>
    <message>
        <location filename="../../desktop/ui/widgets.py" line="107"/>
        <source>lý do…</source>
        <translation>reason…</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>Đã đồng bộ, còn %1 bản ghi chưa gửi được</source>
        <translation>Synced; %1 records not sent yet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_controller.py" line="248"/>
        <source>Đang đồng bộ…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_controller.py" line="352"/>
        <source>Đã đồng bộ</source>
        <translation>Synced</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_controller.py" line="364"/>
        <source>Chưa đăng nhập máy chủ</source>
        <translation>Not signed in to the server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_controller.py" line="418"/>
        <source>Đã đăng xuất. Dữ liệu chưa gửi vẫn được giữ trên máy.</source>
        <translation>Signed out. Unsent data stays on this computer.</translation>
    </message>
</context>
<context>
    <name>SyncLabels</name>
    <message>
        <source>Người đã gặp</source>
        <translation>Persons met</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="23"/>
        <location filename="../../desktop/ui/sync_labels.py" line="38"/>
        <source>Hộ</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="24"/>
        <source>Người</source>
        <translation>Persons</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="25"/>
        <source>Hạng mục hỗ trợ</source>
        <translation>Support item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="26"/>
        <source>Lần thăm</source>
        <translation>Visit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="27"/>
        <location filename="../../desktop/ui/sync_labels.py" line="56"/>
        <source>Chỉ tiêu</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="33"/>
        <source>Ấp/thôn</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="34"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="35"/>
        <source>Số điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="36"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="37"/>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="39"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="40"/>
        <source>Ngày sinh</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="41"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="42"/>
        <source>Số CCCD</source>
        <translation>ID card number</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="43"/>
        <source>Quan hệ với chủ hộ</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="44"/>
        <source>Điện thoại thông minh</source>
        <translation>Smartphone</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="45"/>
        <source>Loại đối tượng</source>
        <translation>Subject type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="46"/>
        <source>Đối tượng</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="47"/>
        <source>Hạng mục</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="48"/>
        <source>Trạng thái</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="49"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="50"/>
        <source>Thời điểm thăm</source>
        <translation>Visited at</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="51"/>
        <source>Tình nguyện viên</source>
        <translation>Volunteer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="52"/>
        <source>Kết quả</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="53"/>
        <source>Ngày hẹn lại</source>
        <translation>Follow-up date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="54"/>
        <source>Hạng mục đã làm</source>
        <translation>Items done</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="55"/>
        <source>Địa bàn</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="57"/>
        <source>Kỳ</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="58"/>
        <source>Tỷ lệ (%)</source>
        <translation>Rate (%)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="64"/>
        <source>Xóa bản ghi</source>
        <translation>Delete the record</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="73"/>
        <source>(trống)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="76"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="78"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="116"/>
        <source>Ngoài địa bàn được phân công</source>
        <translation>Outside the assigned area</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="117"/>
        <source>Bản ghi liên quan không còn trên máy chủ</source>
        <translation>The related record is no longer on the server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="120"/>
        <source>Ấp/thôn không có trên máy chủ</source>
        <translation>The hamlet is not on the server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="121"/>
        <source>Loại dữ liệu máy chủ không nhận</source>
        <translation>A kind of data the server does not accept</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="124"/>
        <source>Mã bản ghi không hợp lệ</source>
        <translation>Invalid record id</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="125"/>
        <source>Giá trị không hợp lệ</source>
        <translation>Invalid value</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="126"/>
        <source>Thiếu thông tin bắt buộc</source>
        <translation>Required information missing</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="127"/>
        <source>Nội dung quá dài</source>
        <translation>Text too long</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="128"/>
        <source>Không được sửa sau khi đã tạo</source>
        <translation>Cannot change once created</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="129"/>
        <source>Trường dữ liệu máy chủ không nhận</source>
        <translation>A field the server does not accept</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="132"/>
        <source>Hạng mục không có trong danh mục</source>
        <translation>Item not in the catalogue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="135"/>
        <source>Lý do không có trong danh mục</source>
        <translation>Reason not in the catalogue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="136"/>
        <source>Chỉ tiêu không có trong danh mục</source>
        <translation>Indicator not in the catalogue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_labels.py" line="141"/>
        <source>Máy chủ từ chối thay đổi này</source>
        <translation>The server rejected this change</translation>
    </message>
</context>
<context>
    <name>SyncMenu</name>
    <message>
        <source>&amp;Ghép ấp với máy chủ…</source>
        <translation>&amp;Join hamlets with the server…</translation>
    </message>
    <message>
        <source>Bản ghi &amp;chưa gửi được…</source>
        <translation>Records &amp;not sent yet…</translation>
    </message>
    <message>
        <source>Ghép các ấp/thôn tạo khi chưa có mạng với ấp trên máy chủ</source>
        <translation>Join the hamlets made offline with the server's hamlets</translation>
    </message>
    <message>
        <source>Ghép ấp</source>
        <translation>Join hamlets</translation>
    </message>
    <message>
        <source>Mọi ấp/thôn của hồ sơ đã được ghép với máy chủ.</source>
        <translation>Every hamlet of this profile is joined with the server.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="287"/>
        <source>Đồng bộ &amp;ngay</source>
        <translation>Sync &amp;now</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="289"/>
        <source>&amp;Dừng đồng bộ</source>
        <translation>&amp;Stop sync</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="294"/>
        <source>Đăng &amp;xuất</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="285"/>
        <source>Đồng &amp;bộ</source>
        <translation>S&amp;ync</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="292"/>
        <source>Đăng nhập &amp;máy chủ…</source>
        <translation>Sign in to the &amp;server…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="297"/>
        <source>Thay đổi bị từ &amp;chối…</source>
        <translation>&amp;Rejected changes…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="299"/>
        <source>Xung độ&amp;t…</source>
        <translation>Conflic&amp;ts…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="301"/>
        <source>Các giá trị bị sửa cùng lúc, để tổ trưởng chọn</source>
        <translation>Values edited at the same time, for the team leader to choose</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="369"/>
        <source>Đăng xuất</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="370"/>
        <source>Còn %1 thay đổi chưa gửi. Chúng vẫn được giữ trên máy và sẽ được gửi khi bạn đăng nhập lại. Đăng xuất?</source>
        <translation>%1 changes are not sent yet. They stay on this computer and are sent when you sign in again. Sign out?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py"/>
        <source>&amp;Quản trị xã…</source>
        <translation>Commune &amp;administration…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py"/>
        <source>Ấp/thôn, người dùng và nhật ký thay đổi của xã, trên máy chủ</source>
        <translation>The commune's hamlets, users and audit log, on the server</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <source>Cần ghép ấp với máy chủ</source>
        <translation>Hamlets to join with the server</translation>
    </message>
    <message>
        <source>Đồng bộ chưa trọn</source>
        <translation>Synced, not everything sent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="57"/>
        <source>Chưa đăng nhập</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="58"/>
        <source>Ngoại tuyến</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="59"/>
        <source>Đang đồng bộ…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="60"/>
        <source>Đã đồng bộ</source>
        <translation>Synced</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="61"/>
        <source>Lỗi đồng bộ</source>
        <translation>Sync error</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="62"/>
        <source>Đã dừng đồng bộ</source>
        <translation>Sync stopped</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="188"/>
        <source>Loại</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="189"/>
        <source>Bản ghi</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="190"/>
        <source>Thay đổi</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="191"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="192"/>
        <source>Lúc</source>
        <translation>When</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="223"/>
        <source>Xóa</source>
        <translation>Delete</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>%1 bản ghi đang được giữ trên máy để gửi lại, %2 bản ghi cần sửa. Bấm để xem.</source>
        <translation>%1 records held on this laptop to send again, %2 records to edit. Click to see them.</translation>
    </message>
    <message>
        <source>Chưa gửi được: %1</source>
        <translation>Not sent yet: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="84"/>
        <source>Dừng</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="86"/>
        <source>Dừng đồng bộ; lần sau sẽ tiếp tục từ chỗ đã dừng</source>
        <translation>Stop syncing; next time it continues where it stopped</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="92"/>
        <source>Thay đổi đã lưu trên máy, chưa gửi lên máy chủ</source>
        <translation>Changes saved on this computer, not yet sent to the server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="133"/>
        <source>Đang kết nối…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="144"/>
        <source>Đang gửi: %1/%2</source>
        <translation>Sending: %1/%2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="153"/>
        <source>Đang nhận: %1 bản ghi</source>
        <translation>Receiving: %1 records</translation>
    </message>
    <message>
        <source>còn chưa đến 1 phút</source>
        <translation>less than a minute left</translation>
    </message>
    <message>
        <source>còn khoảng %1 phút</source>
        <translation>about %1 minutes left</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="157"/>
        <source>Chưa gửi: %1</source>
        <translation>Not sent: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="162"/>
        <source>Bị từ chối: %1</source>
        <translation>Rejected: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="166"/>
        <source>Máy chủ không nhận một số thay đổi. Bấm để xem lý do.</source>
        <translation>The server did not accept some changes. Click to see why.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="170"/>
        <source>chưa lần nào</source>
        <translation>never</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sync_panel.py" line="171"/>
        <source>Đồng bộ lần cuối: %1</source>
        <translation>Last sync: %1</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <location filename="../../desktop/ui/tasks.py" line="1"/>
        <source>Dừng</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tasks.py" line="1"/>
        <source>Đang dừng…</source>
        <translation>Stopping…</translation>
    </message>
</context>
<context>
    <name>TargetsEditor</name>
    <message>
        <location filename="../../desktop/ui/targets.py" line="169"/>
        <source>Chữ đậm: chỉ tiêu riêng; chữ xám: kế thừa. Gõ số (0–100) để đặt; chỉ tiêu được đồng bộ như mọi dữ liệu.</source>
        <translation>Bold: own target; grey: inherited. Type a number (0–100) to set it; targets sync like all data.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/targets.py" line="173"/>
        <source>Kỳ:</source>
        <translation>Period:</translation>
    </message>
</context>
<context>
    <name>TargetsModel</name>
    <message>
        <location filename="../../desktop/ui/targets.py" line="123"/>
        <source>Chỉ tiêu riêng của địa bàn cho kỳ này</source>
        <translation>This area&apos;s own target for the period</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/targets.py" line="124"/>
        <source>Kế thừa (từ xã, từ cả năm hoặc mặc định quốc gia); gõ số để đặt riêng</source>
        <translation>Inherited (from the commune, the whole year or the national default); type a number to set one</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="73"/>
        <source>Mở khóa hồ sơ</source>
        <translation>Unlock profile</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="77"/>
        <source>Hồ sơ “%1” đã được khóa vì lâu không dùng. Nhập mật khẩu hồ sơ để tiếp tục.</source>
        <translation>Profile “%1” was locked after a while unused. Enter the profile password to continue.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="80"/>
        <source>Hồ sơ “%1” được mã hóa để bảo vệ dữ liệu cá nhân của người dân. Nhập mật khẩu hồ sơ để mở.</source>
        <translation>Profile “%1” is encrypted to protect residents&apos; personal data. Enter the profile password to open it.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="89"/>
        <source>&amp;Mật khẩu hồ sơ:</source>
        <translation>Profile &amp;password:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="98"/>
        <location filename="../../desktop/ui/unlock_dialog.py" line="180"/>
        <source>Mở khóa</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="102"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="102"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="133"/>
        <source>Vui lòng nhập mật khẩu hồ sơ.</source>
        <translation>Please enter the profile password.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="139"/>
        <source>Đang mở khóa…</source>
        <translation>Unlocking…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py" line="186"/>
        <source>Thử lại sau %1 giây</source>
        <translation>Try again in %1 seconds</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py"/>
        <source>Vui lòng chờ trước lần thử tiếp theo.</source>
        <translation>Please wait before the next try.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py"/>
        <source>Đã nhận. Ứng dụng sẽ tự thử mật khẩu này khi hết thời gian chờ.</source>
        <translation>Got it: the app tries this password by itself when the wait is over.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py"/>
        <source>Có thể nhập mật khẩu và nhấn Enter ngay: ứng dụng sẽ tự thử khi hết giờ chờ.</source>
        <translation>You can type the password and press Enter now: the app tries it when the wait is over.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/unlock_dialog.py"/>
        <source>Sẽ mở khóa sau %1 giây</source>
        <translation>Unlocking in %1 seconds</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Thêm người dùng</source>
        <translation>Add user</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Sửa người dùng</source>
        <translation>Edit user</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Thêm người dùng</source>
        <translation>&amp;Add user</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Lưu</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Ví dụ: tnv.lan (không dấu, không cách)</source>
        <translation>For example: tnv.lan (no accents, no spaces)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Ví dụ: Nguyễn Thị Lan</source>
        <translation>For example: Nguyễn Thị Lan</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tên đă&amp;ng nhập:</source>
        <translation>User&amp;name:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Họ tên:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>&amp;Vai trò:</source>
        <translation>&amp;Role:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Ấp/thôn &amp;phụ trách:</source>
        <translation>&amp;Hamlets:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Bạn không thể đổi vai trò của chính mình.</source>
        <translation>You cannot change your own role.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tình nguyện viên thấy và ghi các hộ của những ấp được đánh dấu.</source>
        <translation>A volunteer sees and records the households of the ticked hamlets.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>%1 thấy cả xã; không cần chọn ấp.</source>
        <translation>%1: sees the whole commune; no hamlets to choose.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các dấu . _ @ -, bắt đầu bằng chữ hoặc số (ví dụ: tnv.lan).</source>
        <translation>A username has only letters without accents, digits and . _ @ -, and starts with a letter or digit (for example: tnv.lan).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Hãy nhập họ tên.</source>
        <translation>Please type the name.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Tình nguyện viên cần ít nhất một ấp/thôn phụ trách.</source>
        <translation>A volunteer needs at least one hamlet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đã thêm người dùng %1 (%2).</source>
        <translation>Added user %1 (%2).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/admin_dialogs.py"/>
        <source>Đã lưu thay đổi của %1.</source>
        <translation>Saved the changes of %1.</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>Lần thăm chưa có nội dung</source>
        <translation>Nothing recorded in this visit</translation>
    </message>
    <message>
        <source>Lần thăm này chưa ghi gì: không hạng mục nào, chưa chọn người đã gặp, không ghi chú, không hẹn lại. Vẫn lưu?</source>
        <translation>This visit records nothing yet: no item, nobody marked as met, no note, no follow-up. Save it anyway?</translation>
    </message>
    <message>
        <source>Quay lại ghi tiếp</source>
        <translation>Go back and fill it in</translation>
    </message>
    <message>
        <source>Vẫn lưu</source>
        <translation>Save anyway</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="52"/>
        <source>Ghi lần thăm: %s</source>
        <translation>Log a visit: %s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="60"/>
        <source>&amp;Kết quả:</source>
        <translation>&amp;Outcome:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="64"/>
        <source>&amp;Hẹn quay lại ngày:</source>
        <translation>Come bac&amp;k on:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="73"/>
        <source>Ví dụ: hẹn tối thứ Bảy, cần mang CCCD gắn chip</source>
        <translation>For example: come back Saturday evening, bring the chip ID card</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="74"/>
        <source>&amp;Ghi chú:</source>
        <translation>&amp;Note:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="88"/>
        <source>Đã gặp:</source>
        <translation>Met:</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/visit_dialog.py" line="100"/>
        <source>Còn thiếu %n hạng mục. Chọn ô, bấm số để ghi việc đã làm trong lần thăm này.</source>
        <translation>
            <numerusform>%n item still missing. Pick a cell and type a digit to record what was done in this visit.</numerusform>
            <numerusform>%n items still missing. Pick a cell and type a digit to record what was done in this visit.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="117"/>
        <source>Cả hộ</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="135"/>
        <source>bỏ thay đổi</source>
        <translation>undo change</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="136"/>
        <source>lưu</source>
        <translation>save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="152"/>
        <source>&amp;Lưu lần thăm (Ctrl+Enter)</source>
        <translation>&amp;Save visit (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="154"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="186"/>
        <source>Đã gặp: %s.</source>
        <translation>Met: %s.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/visit_dialog.py" line="1"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>_FormDialog</name>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="66"/>
        <source>&amp;Lưu</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="67"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/dialogs.py" line="1"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>HeldDialog</name>
    <message>
        <source>&amp;Ghép ấp với máy chủ…</source>
        <translation>&amp;Join hamlets with the server…</translation>
    </message>
    <message>
        <source>&amp;Mở hộ</source>
        <translation>&amp;Open household</translation>
    </message>
    <message>
        <source>Những bản ghi dưới đây vẫn nằm nguyên trên máy này, chưa có trên máy chủ. Dòng “Sẽ tự gửi lại” được gửi tự động khi lý do không còn (ví dụ sau khi ghép ấp). Dòng “Cần sửa lại” chờ bạn sửa giá trị rồi sẽ được gửi.</source>
        <translation>The records below are kept as they are on this laptop and are not on the server yet. Rows marked “Sent again by itself” go automatically once the reason is gone (for example after joining a hamlet). Rows marked “Needs editing” wait for you to correct a value, then they are sent.</translation>
    </message>
    <message>
        <source>Thay đổi chưa gửi được lên máy chủ</source>
        <translation>Changes not sent to the server yet</translation>
    </message>
    <message>
        <source>Đang giữ để gửi lại: %1 · Cần sửa: %2</source>
        <translation>Held to send again: %1 · Needs editing: %2</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>HeldModel</name>
    <message>
        <source>(hộ không còn trong địa bàn của bạn)</source>
        <translation>(household no longer in your area)</translation>
    </message>
    <message>
        <source>Cần sửa lại</source>
        <translation>Needs editing</translation>
    </message>
    <message>
        <source>Hạng mục</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Hộ</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>Loại</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Lần thăm lúc %1</source>
        <translation>Visit at %1</translation>
    </message>
    <message>
        <source>Người</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>Sẽ tự gửi lại</source>
        <translation>Sent again by itself</translation>
    </message>
    <message>
        <source>Xử lý</source>
        <translation>What happens</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>Chưa ghép (giữ lại trên máy này)</source>
        <translation>Not joined (keep on this laptop)</translation>
    </message>
    <message>
        <source>Ghép hồ sơ với xã trên máy chủ</source>
        <translation>Join the profile to the commune on the server</translation>
    </message>
    <message>
        <source>Ghép và đồng bộ</source>
        <translation>Join and sync</translation>
    </message>
    <message>
        <source>Ghép với ấp trên máy chủ</source>
        <translation>Join with the server's hamlet</translation>
    </message>
    <message>
        <source>Hồ sơ này được tạo khi chưa có mạng. Trước khi gửi dữ liệu lên máy chủ, hãy ghép mỗi ấp/thôn bạn đã nhập với ấp/thôn trên máy chủ của %1. Chưa có gì được gửi đi.</source>
        <translation>This profile was made offline. Before sending data to the server, join each hamlet you typed with a hamlet on the server of %1. Nothing has been sent yet.</translation>
    </message>
    <message>
        <source>Máy chủ đã có một ấp trùng tên. Hãy chọn ấp đó trong danh sách thay vì tạo mới.</source>
        <translation>The server already has a hamlet of that name. Choose it in the list instead of creating a new one.</translation>
    </message>
    <message>
        <source>Một số ấp/thôn của hồ sơ chưa được ghép với máy chủ của %1; dữ liệu của chúng vẫn nằm trên máy này. Ghép ngay bây giờ để gửi lên.</source>
        <translation>Some hamlets of this profile are not joined with the server of %1 yet; their data stays on this laptop. Join them now to send it.</translation>
    </message>
    <message>
        <source>Số hộ</source>
        <translation>Households</translation>
    </message>
    <message>
        <source>Tài khoản này không được tạo ấp mới. Hãy chọn một ấp có sẵn.</source>
        <translation>This account may not create hamlets. Choose an existing hamlet.</translation>
    </message>
    <message>
        <source>Tạo ấp mới trên máy chủ: “%1”</source>
        <translation>Create on the server: “%1”</translation>
    </message>
    <message>
        <source>Xã của hồ sơ: &lt;b&gt;%1&lt;/b&gt; → xã trên máy chủ: &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>Profile's commune: &lt;b&gt;%1&lt;/b&gt; → commune on the server: &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Đang ghép…</source>
        <translation>Joining…</translation>
    </message>
    <message>
        <source>Để sau</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>Ấp chưa có trên máy chủ: nhờ tổ trưởng hoặc cán bộ xã thêm ấp đó, rồi ghép lại (menu Đồng bộ › Ghép ấp với máy chủ…).</source>
        <translation>A hamlet not on the server yet: ask the team leader or the commune official to add it, then join again (menu Sync › Join hamlets with the server…).</translation>
    </message>
    <message>
        <source>Ấp/thôn trên máy này</source>
        <translation>Hamlet on this laptop</translation>
    </message>
</context>
<context>
    <name>DateEdit</name>
    <message>
        <source>Cần đủ ngày, tháng và năm (ví dụ 21/03/2027)</source>
        <translation>A full date is needed: day, month and year (e.g. 21/03/2027)</translation>
    </message>
    <message>
        <source>ngày/tháng/năm (21/03/1985) hoặc năm (1985)</source>
        <translation>day/month/year (21/03/1985) or the year (1985)</translation>
    </message>
    <message>
        <source>ngày/tháng/năm, ví dụ 21/03/2027</source>
        <translation>day/month/year, e.g. 21/03/2027</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>Chọn ngày trên lịch</source>
        <translation>Pick the day on a calendar</translation>
    </message>
</context>
</TS>
