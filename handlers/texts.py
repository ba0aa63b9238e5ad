"""Every sentence the bot says, in one catalogue: Indonesian first, English second.

Keys are grouped by feature. ``t(key, lang, **values)`` formats one; a missing English
text falls back to Indonesian, a missing key raises (tests load every key once).
"""

from __future__ import annotations

from handlers.types import Lang

CATALOGUE: dict[str, tuple[str, str]] = {
    # --- core ---
    "greeting": (
        "Halo{name}! Selamat datang di layanan Tanya PPID {body}. 🙏\n"
        "Saya dapat membantu Anda mencari informasi publik dan mengajukan permohonan informasi.",
        "Hello{name}! Welcome to Tanya PPID, the information service of {body}. 🙏\n"
        "I can help you find public information and file an information request.",
    ),
    "menu_title": (
        "Silakan pilih layanan (ketik nomornya atau namanya), atau langsung tulis informasi yang Anda cari:",
        "Please choose a service (type its number or name), or just type what information you are looking for:",
    ),
    "menu_search": ("Cari informasi publik", "Search public information"),
    "menu_help": ("Bantuan", "Help"),
    "menu_search_prompt": (
        'Silakan tulis informasi yang Anda cari, misalnya: "APBD 2024" atau "cara mengurus akta kelahiran".',
        'Please type the information you are looking for, e.g. "2024 city budget" or "birth certificate".',
    ),
    "help": (
        "Cara menggunakan Tanya PPID:\n"
        '• Tulis saja informasi yang Anda cari, misalnya "jadwal posyandu".\n'
        '• Ketik "menu" untuk melihat pilihan layanan.\n'
        '• Ketik "batal" untuk membatalkan langkah yang sedang berjalan.\n'
        "Layanan PPID: Senin–Jumat 08.00–16.00 WIB.",
        "How to use Tanya PPID:\n"
        '• Just type the information you are looking for, e.g. "health centre schedule".\n'
        '• Type "menu" to see the services.\n'
        '• Type "cancel" to stop the current step.\n'
        "PPID office hours: Monday–Friday 08:00–16:00 WIB.",
    ),
    "cancelled": (
        'Baik, langkah tadi sudah dibatalkan. Ketik "menu" bila ingin memulai lagi.',
        'All right, that has been cancelled. Type "menu" to start again.',
    ),
    "nothing_to_cancel": (
        'Tidak ada langkah yang sedang berjalan. Ketik "menu" untuk melihat layanan.',
        'There is nothing to cancel. Type "menu" to see the services.',
    ),
    "empty_message": (
        'Maaf, pesan Anda kosong. Silakan tulis pertanyaan Anda, atau ketik "menu".',
        'Sorry, your message is empty. Please type your question, or type "menu".',
    ),
    "too_long": (
        "Maaf, pesan Anda terlalu panjang ({length} karakter). Mohon ringkas menjadi paling banyak {limit} karakter.",
        "Sorry, your message is too long ({length} characters). Please keep it under {limit} characters.",
    ),
    "emoji_only": (
        'Terima kasih! 😊 Ada yang bisa kami bantu? Tulis informasi yang Anda cari atau ketik "menu".',
        'Thank you! 😊 How can we help? Type what you are looking for or type "menu".',
    ),
    "unknown_command": (
        'Maaf, perintah "{command}" tidak dikenal. Ketik "menu" untuk melihat layanan yang tersedia.',
        'Sorry, the command "{command}" is unknown. Type "menu" to see the available services.',
    ),
    "unsupported_input": (
        'Maaf, saya hanya bisa membaca pesan teks. Silakan tulis pertanyaan Anda, atau ketik "menu".',
        'Sorry, I can only read text messages. Please type your question, or type "menu".',
    ),
    "stale_choice": (
        'Pilihan itu sudah tidak berlaku. Silakan pilih dari pesan terbaru, atau ketik "menu".',
        'That option has expired. Please choose from the latest message, or type "menu".',
    ),
    "internal_error": (
        "Mohon maaf, terjadi gangguan saat memproses pesan Anda (kode {ref}). "
        "Pesan Anda sudah kami catat; silakan coba lagi sebentar lagi.",
        "Sorry, something went wrong while processing your message (code {ref}). "
        "Your message has been recorded; please try again shortly.",
    ),
    "fallback": (
        'Maaf, saya belum memahami pesan Anda. Tulis informasi yang Anda cari (misalnya "APBD 2024"), '
        'atau ketik "menu".',
        'Sorry, I did not understand that. Type the information you are looking for (e.g. "city budget 2024"), '
        'or type "menu".',
    ),
    # --- end core ---
}


def t(key: str, lang: Lang = Lang.ID, /, **values: object) -> str:
    """The text under ``key`` in ``lang``, formatted with ``values``."""
    indonesian, english = CATALOGUE[key]
    template = english if lang is Lang.EN and english else indonesian
    return template.format(**values) if values else template
