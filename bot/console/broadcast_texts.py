"""Console texts of areas and broadcasts (merged into ``bot.console.texts.CONSOLE_TEXTS``)."""

from __future__ import annotations

BROADCAST_TEXTS: dict[str, tuple[str, str]] = {
    "nav_broadcasts": ("Siaran RT/RW", "Broadcasts"),
    "nav_areas": ("Wilayah", "Areas"),
    "bc_new": ("Kirim pengumuman", "Send an announcement"),
    "bc_area": ("Wilayah (misalnya sukamaju-wetan/rw02)", "Area (e.g. sukamaju-wetan/rw02)"),
    "bc_area_column": ("Wilayah", "Area"),
    "bc_text": ("Isi pengumuman", "Announcement"),
    "bc_file": (
        "Foto atau PDF (boleh dikosongkan; satu berkas JPG/PNG/WebP/PDF)",
        "Photo or PDF (optional; one JPG/PNG/WebP/PDF file)",
    ),
    "bc_attachment": ("Lampiran", "Attachment"),
    "bc_entry": ("Entri DIP yang dibagikan", "Shared register entry"),
    "bc_serta_merta": (
        "Informasi serta merta (UU 14/2008 Pasal 10): dikirim segera, didahulukan, dan dicatat di DIP",
        "Urgent public information (UU 14/2008 Pasal 10): sent at once, first, and published in the register",
    ),
    "bc_send": ("Kirim", "Send"),
    "bc_list": ("Siaran terakhir", "Latest broadcasts"),
    "bc_status": ("Status", "Status"),
    "bc_recipients": ("Penerima", "Recipients"),
    "bc_queued": ("Antre", "Queued"),
    "bc_sent": ("Terkirim", "Sent"),
    "bc_delivered": ("Sampai", "Delivered"),
    "bc_read": ("Dibaca (WhatsApp)", "Read (WhatsApp)"),
    "bc_held": ("Ditahan (di luar 24 jam WhatsApp)", "Held (outside WhatsApp's 24 hours)"),
    "bc_failed": ("Gagal", "Failed"),
    "bc_reasons": ("Alasan gagal/ditahan", "Reasons (failed/held)"),
    "bc_approve": ("Setujui", "Approve"),
    "bc_reject": ("Tolak", "Reject"),
    "bc_status_awaiting_approval": ("Menunggu persetujuan", "Awaiting approval"),
    "bc_status_queued": ("Sedang dikirim", "Being sent"),
    "bc_status_fanned_out": ("Semua antre/terkirim", "All queued or sent"),
    "bc_status_rejected": ("Ditolak", "Rejected"),
    "bc_kind_announcement": ("Pengumuman", "Announcement"),
    "bc_kind_serta_merta": ("Serta merta", "Urgent (serta merta)"),
    "bc_none": ("Belum ada siaran.", "No broadcasts yet."),
    "bc_my_areas": ("Wilayah Anda", "Your areas"),
    "bc_link_chat": ("Hubungkan chat Anda", "Link your chat"),
    "bc_link_hint": (
        "Ketik kode ini di chat Telegram, WhatsApp atau web chat Anda dengan Tanya PPID dalam 15 menit. "
        'Setelah itu chat menawarkan "Kirim pengumuman".',
        "Type this code in your Telegram, WhatsApp or web chat with Tanya PPID within 15 minutes. "
        'The chat then offers "Send announcement".',
    ),
    "bc_new_code": ("Buat kode", "Get a code"),
    "areas_title": (
        "Wilayah: kota, kecamatan, kelurahan, RW, RT",
        "Areas: kota, kecamatan, kelurahan, RW, RT",
    ),
    "areas_add": ("Tambah wilayah", "Add an area"),
    "areas_assign": ("Tetapkan koordinator", "Assign a coordinator"),
    "areas_key": ("Kunci", "Key"),
    "areas_level": ("Tingkat", "Level"),
    "areas_name": ("Nama", "Name"),
    "areas_subscribers": ("Pelanggan", "Subscribers"),
    "areas_poster": ("Poster QR", "QR poster"),
    "areas_added": ("Wilayah disimpan.", "Area saved."),
    "areas_assign_officer": (
        "Tetapkan petugas penyetuju kelurahan",
        "Assign the officer who approves for a kelurahan",
    ),
    "areas_assign_officer_hint": (
        "Petugas (PPID Pelaksana) yang ditetapkan pada kelurahan menyetujui pengumuman koordinator RT/RW "
        "di kelurahan itu; bila ditetapkan pada kecamatan, ia menyetujui untuk semua kelurahan di "
        "kecamatan itu. PPID Utama selalu dapat menyetujui.",
        "An officer (PPID Pelaksana) assigned to a kelurahan approves its RT/RW coordinators' "
        "announcements; assigned to a kecamatan, for every kelurahan in it. The PPID Utama can "
        "always approve.",
    ),
    "areas_unassign": ("Lepaskan", "Remove"),
    "areas_approvers": ("Petugas penyetuju per kelurahan", "Approving officers per kelurahan"),
    "areas_own_officers": ("Petugas kelurahan", "Kelurahan's officers"),
    "areas_kecamatan_officers": ("Petugas kecamatan", "Kecamatan's officers"),
    "areas_no_approver": (
        "Belum ada petugas penyetuju untuk kelurahan ini: pengumumannya hanya dapat disetujui PPID Utama.",
        "No approving officer for these kelurahan yet: their announcements can be approved by the PPID "
        "Utama only.",
    ),
    "areas_assigned_coordinator": ("Koordinator ditetapkan.", "Coordinator assigned."),
    "areas_unassigned_coordinator": (
        "Koordinator dilepaskan dari wilayah itu.",
        "Coordinator removed from that area.",
    ),
    "areas_assigned_officer": ("Petugas penyetuju ditetapkan.", "Approving officer assigned."),
    "areas_unassigned_officer": ("Petugas dilepaskan dari wilayah itu.", "Officer removed from that area."),
    "bc_awaiting_you": ("Menunggu persetujuan Anda", "Awaiting your approval"),
    "bc_awaiting_none": (
        "Tidak ada pengumuman yang menunggu persetujuan Anda.",
        "No announcement awaits your approval.",
    ),
    "bc_no_officer": (
        "tidak ada petugas kelurahan: hanya PPID Utama yang dapat menyetujui",
        "no kelurahan officer: only the PPID Utama can approve",
    ),
    "bc_approvers": (
        "Disetujui oleh petugas kelurahan: {names} (atau PPID Utama).",
        "Approved by the kelurahan's officers: {names} (or the PPID Utama).",
    ),
    "bc_no_approver": (
        "Belum ada petugas yang ditetapkan untuk kelurahan ini, jadi hanya PPID Utama yang dapat menyetujui "
        "pengumuman ini. PPID Utama melihatnya di halaman Siaran dan Wilayah.",
        "No officer is assigned to this kelurahan, so only the PPID Utama can approve this announcement. "
        "The PPID Utama sees it on the Broadcasts and Areas pages.",
    ),
    "poster_title": ("Dapatkan info {area} di chat Anda", "Get the news of {area} in your chat"),
    "poster_hint": (
        'Pindai kode QR dengan kamera ponsel, atau kirim pesan "langganan {words}" ke Tanya PPID. '
        'Tidak ada data pribadi yang diminta; berhenti kapan saja dengan "stop langganan".',
        'Scan the QR code with your phone\'s camera, or send "subscribe {words}" to Tanya PPID. '
        'No personal data is asked; stop at any time with "stop subscription".',
    ),
}
