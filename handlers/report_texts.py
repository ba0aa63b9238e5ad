"""The words of the annual report (UU 14/2008 Pasal 12; Perki 1/2021 laporan layanan informasi
publik), in Indonesian as a PPID publishes it, with an English variant. Used by every export."""

from __future__ import annotations

from handlers.texts import pick
from handlers.types import Lang

REPORT_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Laporan Layanan Informasi Publik Tahun {year}", "Public Information Service Report {year}"),
    "subtitle_opd": ("Unit: {opd}", "Unit: {opd}"),
    "basis": (
        "Disusun berdasarkan Pasal 12 UU Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik, dari "
        "register permohonan dan keberatan. Hari kerja dihitung tanpa akhir pekan, hari libur nasional dan "
        "cuti bersama.",
        "Prepared under Article 12 of Law No. 14 of 2008 on Public Information Disclosure, from the register "
        "of requests and objections. Working days exclude weekends, national holidays and collective leave.",
    ),
    "generated": ("Dibuat pada {date}", "Generated on {date}"),
    "section_received": ("Permohonan informasi yang diterima", "Information requests received"),
    "section_months": ("Permohonan per bulan", "Requests by month"),
    "section_channels": ("Permohonan per saluran", "Requests by channel"),
    "section_opd": ("Permohonan per OPD", "Requests by unit (OPD)"),
    "section_outcomes": ("Hasil permohonan", "Outcomes"),
    "section_refused": ("Penolakan per dasar Pasal 17", "Refusals by letter of Article 17"),
    "section_time": ("Waktu penyelesaian (hari kerja)", "Time to answer (working days)"),
    "section_objections": ("Keberatan", "Objections"),
    "section_grounds": ("Keberatan per alasan (Pasal 35 ayat 1)", "Objections by ground (Article 35(1))"),
    "section_objection_outcomes": ("Hasil keberatan", "Objection outcomes"),
    "section_service": ("Layanan chatbot", "The chatbot's service"),
    "section_gaps": ("Pertanyaan yang paling sering tidak terjawab", "Questions most often left unanswered"),
    "received": ("Jumlah permohonan", "Requests received"),
    "answered": ("Permohonan yang dijawab", "Requests answered"),
    "median": ("Median", "Median"),
    "mean": ("Rata-rata", "Mean"),
    "p90": ("Persentil ke-90", "90th percentile"),
    "on_time_share": ("Dijawab tepat waktu", "Answered on time"),
    "late": ("Terlambat atau lewat tenggat", "Late or past the deadline"),
    "extended": ("Diperpanjang (Pasal 22 ayat 8)", "Extended (Article 22(8))"),
    "objections_received": ("Jumlah keberatan", "Objections received"),
    "commission": ("Sengketa ke Komisi Informasi", "Disputes taken to the Information Commission"),
    "bot_answered": ("Pertanyaan dijawab dari DIP/FAQ", "Questions answered from the register/FAQ"),
    "bot_handoffs": ("Dialihkan ke petugas", "Handed to an officer"),
    "bot_not_found": ("Tidak ditemukan / kurang tepat", "Not found / not helpful"),
    "count": ("Jumlah", "Count"),
    "item": ("Uraian", "Item"),
    "question": ("Contoh pertanyaan", "Example question"),
    "none": ("-", "-"),
    "outcome_granted": ("Dikabulkan seluruhnya", "Granted in full"),
    "outcome_partly_granted": ("Dikabulkan sebagian", "Granted in part"),
    "outcome_refused": ("Ditolak", "Refused"),
    "outcome_not_held": ("Informasi tidak dikuasai", "Not held"),
    "outcome_not_documented": ("Belum didokumentasikan", "Not yet documented"),
    "outcome_withdrawn": ("Dicabut pemohon", "Withdrawn"),
    "outcome_pending": ("Belum diputus", "Not yet decided"),
    "objection_upheld": ("Diterima", "Upheld"),
    "objection_dismissed": ("Ditolak", "Dismissed"),
    "objection_pending": ("Belum dijawab", "Not yet answered"),
    "channel_web": ("Web chat", "Web chat"),
    "channel_whatsapp": ("WhatsApp", "WhatsApp"),
    "channel_telegram": ("Telegram", "Telegram"),
    "channel_cli": ("Terminal (uji coba)", "Terminal (testing)"),
    "channel_loket": ("Loket (datang langsung)", "Front desk (in person)"),
    "channel_surat": ("Surat", "Letter"),
    "channel_email": ("E-mail", "E-mail"),
    "channel_telepon": ("Telepon", "Telephone"),
    "ground": ("Huruf {letter}", "Letter {letter}"),
    "pasal": ("Pasal 17 huruf {letter}", "Article 17 letter {letter}"),
    "page": ("Halaman {page}", "Page {page}"),
}


def channel_label(channel: str, lang: Lang = Lang.ID) -> str:
    """A channel as the report names it; one the catalogue does not know, as recorded."""
    key = f"channel_{channel}"
    return rt(key, lang) if key in REPORT_TEXTS else channel


def rt(key: str, lang: Lang = Lang.ID, /, **values: object) -> str:
    return pick(REPORT_TEXTS, key, lang, **values)
