"""Texts of area subscriptions and RT/RW announcements (merged into ``handlers.texts.CATALOGUE``)."""

from __future__ import annotations

AREA_TEXTS: dict[str, tuple[str, str]] = {
    "menu_subscribe": ("Info RT/RW (langganan)", "Neighbourhood news (subscribe)"),
    "sub_how": (
        "Dapatkan pengumuman RT/RW dan informasi serta merta (banjir, kebakaran, wabah, air mati) di chat "
        "ini. Tulis wilayah Anda, misalnya:\n"
        '"langganan RT 3 RW 2 Sukamaju Wetan" atau "langganan RW 02 Sukamaju Wetan".\n'
        "Langganan tidak meminta data pribadi apa pun selain chat ini. "
        'Ketik "langganan saya" untuk melihat langganan Anda, "stop langganan" untuk berhenti.',
        "Get RT/RW announcements and urgent public notices (floods, fires, outbreaks, water cuts) in this "
        "chat. Write your area, for example:\n"
        '"subscribe RT 3 RW 2 Sukamaju Wetan" or "subscribe RW 02 Sukamaju Wetan".\n'
        "Subscribing asks for no personal data besides this chat. "
        'Type "my subscriptions" to see yours, "stop subscription" to end one.',
    ),
    "sub_done": (
        "Terima kasih, Anda berlangganan informasi {area}. Pengumuman RT/RW dan informasi serta merta untuk "
        "wilayah ini akan dikirim ke chat ini.\n"
        "Kami tidak meminta data pribadi apa pun; hanya chat ini yang disimpan. "
        'Berhenti kapan saja dengan "stop langganan".',
        "Thank you, you are subscribed to {area}. RT/RW announcements and urgent public notices for this "
        "area will be sent to this chat.\n"
        "We ask for no personal data; only this chat is kept. "
        'Stop at any time with "stop subscription".',
    ),
    "sub_already": (
        'Anda sudah berlangganan {area}. Ketik "langganan saya" untuk melihat semua langganan Anda.',
        'You are already subscribed to {area}. Type "my subscriptions" to see all of them.',
    ),
    "sub_pick": (
        "Wilayah mana yang Anda maksud? Pilih salah satu:",
        "Which area do you mean? Please choose one:",
    ),
    "sub_unknown": (
        "Maaf, wilayah itu belum kami temukan. Mungkin salah satu dari ini:",
        "Sorry, we could not find that area. Perhaps one of these:",
    ),
    "sub_no_areas": (
        "Maaf, daftar wilayah RT/RW belum tersedia. Silakan coba lagi nanti.",
        "Sorry, the list of RT/RW areas is not available yet. Please try again later.",
    ),
    "sub_list": (
        'Langganan Anda:\n{areas}\nKetik "stop langganan" untuk berhenti.',
        'Your subscriptions:\n{areas}\nType "stop subscription" to end one.',
    ),
    "sub_none": (
        'Anda belum berlangganan info wilayah mana pun. Contoh: "langganan RT 3 RW 2 Sukamaju Wetan".',
        'You have no subscriptions yet. Example: "subscribe RT 3 RW 2 Sukamaju Wetan".',
    ),
    "sub_stop_pick": (
        "Langganan mana yang ingin Anda hentikan?",
        "Which subscription do you want to end?",
    ),
    "sub_stop_all": ("Semua langganan", "All subscriptions"),
    "sub_stopped": (
        "Baik, langganan {area} sudah dihentikan. Anda tidak akan menerima pengumumannya lagi.",
        "All right, your subscription to {area} has ended. You will not get its announcements any more.",
    ),
    "sub_stopped_all": (
        "Baik, semua langganan Anda ({count}) sudah dihentikan. Anda tidak akan menerima pengumuman lagi.",
        "All right, all your subscriptions ({count}) have ended. You will not get announcements any more.",
    ),
    "sub_stop_or_nothing": (
        "Tidak ada langkah yang sedang berjalan. Apakah Anda ingin berhenti berlangganan info RT/RW?",
        "There is nothing to cancel. Do you want to end your neighbourhood subscriptions?",
    ),
    "sub_keep": ("Tidak, tetap berlangganan", "No, keep them"),
    "sub_kept": ("Baik, langganan Anda tetap berjalan.", "All right, your subscriptions stay as they are."),
    # --- what subscribers receive ---
    "bc_announcement": ("📢 Pengumuman {area}\n\n{text}", "📢 Announcement for {area}\n\n{text}"),
    "bc_serta_merta": (
        "⚠️ INFORMASI SERTA MERTA - {area}\n\n{text}\n\n"
        "(Informasi yang wajib diumumkan segera, UU 14/2008 Pasal 10.)",
        "⚠️ URGENT PUBLIC INFORMATION - {area}\n\n{text}\n\n"
        "(Information that must be announced at once, UU 14/2008 Pasal 10.)",
    ),
    "bc_entry": ("Informasi publik: {title}\n{link}", "Public information: {title}\n{link}"),
    "bc_part": ("({n}/{total})", "({n}/{total})"),  # an over-long announcement's numbered parts
    "bc_footer": ('\n\nBerhenti menerima: ketik "stop langganan".', '\n\nTo stop: type "stop subscription".'),
    # --- coordinators in the chat ---
    "co_linked": (
        "Chat ini sekarang terhubung dengan akun koordinator {username} ({areas}). "
        'Pilih "Kirim pengumuman" untuk mengirim informasi kepada warga yang berlangganan.',
        "This chat is now linked to the coordinator account {username} ({areas}). "
        'Choose "Send announcement" to send information to subscribed residents.',
    ),
    "co_bad_code": (
        "Maaf, kode itu tidak berlaku (salah, sudah dipakai, atau kedaluwarsa). "
        "Minta kode baru di konsol petugas.",
        "Sorry, that code is not valid (wrong, used or expired). Get a new one in the console.",
    ),
    "co_too_many_codes": (
        "Terlalu banyak kode yang salah dari chat ini. Silakan hubungi petugas PPID.",
        "Too many wrong codes from this chat. Please contact the PPID desk.",
    ),
    "co_send": ("Kirim pengumuman", "Send announcement"),
    "co_not_coordinator": (
        "Pengiriman pengumuman hanya untuk koordinator RT/RW yang terdaftar. "
        'Sebagai warga, Anda dapat berlangganan informasi wilayah Anda: ketik "langganan".',
        "Announcements are for registered RT/RW coordinators only. "
        'As a resident you can subscribe to your area\'s news: type "subscribe".',
    ),
    "co_pick_area": ("Untuk wilayah mana pengumuman ini?", "Which area is this announcement for?"),
    "co_ask_text": (
        "Tulis pengumuman untuk {area}. Boleh disertai satu foto atau PDF (paling besar {size}): kirim "
        'berkasnya dengan teks pengumuman sebagai keterangan, atau teksnya sesudah berkas. Ketik "batal" '
        "untuk membatalkan.",
        "Write the announcement for {area}. You may add one photo or PDF (at most {size}): send the file "
        'with the announcement as its caption, or the text after the file. Type "cancel" to stop.',
    ),
    "co_file_received": (
        "Berkas {name} diterima. Sekarang tulis teks pengumumannya.",
        "File {name} received. Now write the text of the announcement.",
    ),
    "co_file_too_big": (
        "Maaf, berkas itu berukuran {size}; lampiran pengumuman paling besar {limit}. Kirim berkas yang "
        "lebih kecil, atau tulis pengumuman tanpa lampiran.",
        "Sorry, that file is {size}; an announcement's attachment may be at most {limit}. Send a smaller "
        "file, or write the announcement without one.",
    ),
    "co_too_long": (
        "Pengumuman terlalu panjang ({length} karakter; paling banyak {limit}). Mohon dipersingkat.",
        "The announcement is too long ({length} characters; at most {limit}). Please shorten it.",
    ),
    "co_confirm": (
        "Kirim pengumuman ini ke {area}?\n\n{text}",
        "Send this announcement to {area}?\n\n{text}",
    ),
    "co_confirm_file": (
        "Kirim pengumuman ini ke {area}?\n\n{text}\n\n📎 Lampiran: {name}",
        "Send this announcement to {area}?\n\n{text}\n\n📎 Attachment: {name}",
    ),
    "co_yes": ("Ya, kirim", "Yes, send"),
    "co_no": ("Batal", "Cancel"),
    "co_queued": (
        "Pengumuman #{id} diterima dan sedang dikirim kepada pelanggan {area}.",
        "Announcement #{id} is accepted and being sent to the subscribers of {area}.",
    ),
    "co_awaiting": (
        "Pengumuman #{id} diterima dan menunggu persetujuan petugas kelurahan sebelum dikirim ke {area}.",
        "Announcement #{id} is accepted and waits for the kelurahan officer's approval before it goes to {area}.",
    ),
    "co_awaiting_no_officer": (
        "Pengumuman #{id} diterima dan menunggu persetujuan sebelum dikirim ke {area}. Belum ada petugas "
        "kelurahan yang ditetapkan untuk menyetujuinya, jadi PPID Utama yang akan memeriksanya; "
        "mohon sampaikan juga kepada kantor kelurahan.",
        "Announcement #{id} is accepted and waits for approval before it goes to {area}. No kelurahan "
        "officer is assigned to approve it yet, so the PPID Utama will look at it; please tell the "
        "kelurahan office too.",
    ),
    "co_refused": (
        "Maaf, pengumuman tidak dapat dikirim: {reason}",
        "Sorry, the announcement cannot be sent: {reason}",
    ),
    "co_not_your_area": (
        "Maaf, Anda hanya dapat mengirim ke wilayah Anda sendiri: {areas}.",
        "Sorry, you can only send to your own area: {areas}.",
    ),
}
