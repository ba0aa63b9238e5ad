"""Every text of the officer console, Indonesian first with English (``t(key, lang)``).

Outcome, status and Pasal 17 names come from ``handlers.texts`` where the chat already has them.
"""

from __future__ import annotations

from handlers.types import Lang

CONSOLE_TEXTS: dict[str, tuple[str, str]] = {
    "console": ("Konsol Petugas PPID", "PPID Officer Console"),
    "login_title": ("Masuk", "Sign in"),
    "username": ("Nama pengguna", "Username"),
    "password": ("Kata sandi", "Password"),
    "sign_in": ("Masuk", "Sign in"),
    "sign_out": ("Keluar", "Sign out"),
    "login_bad": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "login_throttled": (
        "Terlalu banyak percobaan masuk. Silakan coba lagi dalam 15 menit.",
        "Too many sign-in attempts. Please try again in 15 minutes.",
    ),
    "session_expired": (
        "Sesi Anda berakhir karena tidak ada aktivitas. Silakan masuk kembali.",
        "Your session ended after a period of inactivity. Please sign in again.",
    ),
    "csrf_refused": (
        "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.",
        "The form expired or is not valid. Reload the page and try again.",
    ),
    "not_found": ("Tidak ditemukan.", "Not found."),
    "forbidden": ("Anda tidak berwenang untuk tindakan ini.", "You are not allowed to do this."),
    "nav_desk": ("Meja hari ini", "Today's desk"),
    "nav_requests": ("Permohonan", "Requests"),
    "nav_objections": ("Keberatan", "Objections"),
    "nav_password": ("Ganti kata sandi", "Change password"),
    "signed_in_as": ("Masuk sebagai", "Signed in as"),
    "role_admin": ("PPID Utama", "PPID Utama (admin)"),
    "role_officer": ("PPID Pelaksana", "PPID Pelaksana (officer)"),
    "role_atasan": ("Atasan PPID", "Atasan PPID"),
    "role_coordinator": ("Koordinator RT/RW", "RT/RW coordinator"),
    "coordinator_home": (
        "Akun koordinator belum memiliki halaman konsol selain halaman ini.",
        "Coordinator accounts have no console pages beyond this one yet.",
    ),
    "desk_due_soon": ("Jatuh tempo dalam 2 hari kerja", "Due within 2 working days"),
    "desk_overdue": ("Melewati batas waktu", "Overdue"),
    "desk_objections": ("Keberatan menunggu jawaban", "Objections awaiting an answer"),
    "nothing": ("Tidak ada.", "None."),
    "number": ("Nomor", "Number"),
    "received": ("Diterima", "Received"),
    "due": ("Batas waktu", "Due"),
    "days_left": ("Sisa hari kerja", "Working days left"),
    "overdue": ("terlambat", "overdue"),
    "status": ("Status", "Status"),
    "opd": ("OPD", "OPD"),
    "channel": ("Kanal", "Channel"),
    "outcome": ("Keputusan", "Outcome"),
    "all": ("Semua", "All"),
    "filter": ("Saring", "Filter"),
    "due_within": ("Jatuh tempo dalam (hari kerja)", "Due within (working days)"),
    "overdue_first": ("Yang terlambat dahulu", "Overdue first"),
    "unrouted": ("belum diteruskan", "not routed"),
    "request": ("Permohonan", "Request"),
    "information": ("Informasi yang diminta", "Information requested"),
    "purpose": ("Tujuan", "Purpose"),
    "obtain": ("Cara memperoleh", "How to obtain"),
    "requester": ("Pemohon", "Requester"),
    "name": ("Nama", "Name"),
    "nik": ("NIK", "NIK"),
    "phone": ("Telepon", "Phone"),
    "email": ("E-mail", "E-mail"),
    "address": ("Alamat", "Address"),
    "reveal": ("Tampilkan data lengkap (dicatat)", "Show full data (logged)"),
    "revealed_note": (
        "Pembukaan data pribadi ini telah dicatat dalam log audit.",
        "This disclosure of personal data has been written to the audit log.",
    ),
    "history": ("Riwayat", "History"),
    "route": ("Teruskan ke OPD", "Route to an OPD"),
    "route_button": ("Teruskan", "Route"),
    "decide": ("Keputusan (Pasal 22 ayat 7)", "Decision (Article 22(7))"),
    "decide_button": ("Simpan keputusan dan beri tahu pemohon", "Save the decision and notify the requester"),
    "pasal17": ("Pasal 17 huruf (jika ditolak)", "Article 17 letter (if refused)"),
    "reason": ("Alasan / bagian yang dikecualikan", "Reason / what is withheld"),
    "holder": ("Badan publik yang menguasai (jika tidak dikuasai)", "Body that holds it (if not held)"),
    "note": ("Catatan untuk pemohon", "Note to the requester"),
    "extend": ("Perpanjangan (sekali, paling lama 7 hari kerja)", "Extension (once, at most 7 working days)"),
    "extend_button": ("Perpanjang", "Extend"),
    "days": ("Hari kerja", "Working days"),
    "objection": ("Keberatan", "Objection"),
    "ground": ("Alasan keberatan", "Ground"),
    "explanation": ("Uraian", "Explanation"),
    "result": ("Hasil", "Result"),
    "pending": ("menunggu", "pending"),
    "upheld": ("diterima", "upheld"),
    "dismissed": ("ditolak", "dismissed"),
    "answer": ("Tanggapan tertulis", "Written answer"),
    "objection_button": (
        "Simpan tanggapan dan beri tahu pemohon",
        "Save the answer and notify the requester",
    ),
    "done_notified": ("Tersimpan. Pemohon diberi tahu.", "Saved. The requester has been notified."),
    "done_unnotified": (
        "Tersimpan. Pemohon tidak memiliki percakapan: beri tahu secara tertulis.",
        "Saved. The requester has no chat: tell them in writing.",
    ),
    "done": ("Tersimpan.", "Saved."),
    "error": ("Tidak dapat disimpan", "Could not be saved"),
    "password_title": ("Ganti kata sandi", "Change password"),
    "password_must_change": (
        "Anda masuk dengan kata sandi sekali pakai. Silakan buat kata sandi baru.",
        "You signed in with a one-time password. Please choose a new one.",
    ),
    "current_password": ("Kata sandi sekarang", "Current password"),
    "new_password": ("Kata sandi baru (min. 10 karakter)", "New password (at least 10 characters)"),
    "repeat_password": ("Ulangi kata sandi baru", "Repeat the new password"),
    "password_mismatch": ("Kedua kata sandi baru tidak sama.", "The two new passwords differ."),
    "password_changed": (
        "Kata sandi diganti. Silakan masuk kembali.",
        "Password changed. Please sign in again.",
    ),
    "language": ("English", "Bahasa Indonesia"),
}


def t(key: str, lang: Lang = Lang.ID) -> str:
    indonesian, english = CONSOLE_TEXTS[key]
    return english if lang is Lang.EN else indonesian
