"""Every sentence the bot says, in one catalogue: Indonesian first, English second.

Keys are grouped by feature. ``t(key, lang, **values)`` formats one; a missing English
text falls back to Indonesian, a missing key raises (tests load every key once).
"""

from __future__ import annotations

from collections.abc import Mapping

from handlers.area_texts import AREA_TEXTS
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
        "Layanan PPID: {hours}.",
        "How to use Tanya PPID:\n"
        '• Just type the information you are looking for, e.g. "health centre schedule".\n'
        '• Type "menu" to see the services.\n'
        '• Type "cancel" to stop the current step.\n'
        "PPID office hours: {hours}.",
    ),
    "office_hours": ("Senin–Jumat {start}–{end} {zone}", "Monday–Friday {start}–{end} {zone}"),
    "office_opens": ("{day} pukul {time} {zone}", "{day} at {time} {zone}"),
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
    "thanks_reply": (
        'Sama-sama, senang dapat membantu. 🙏 Bila ada yang ingin ditanyakan lagi, tulis saja atau ketik "menu".',
        'You are welcome, glad to help. 🙏 If you have another question, just type it or type "menu".',
    ),
    "too_many_messages": (
        "Mohon maaf, pesan Anda terlalu banyak dalam waktu singkat, sehingga sebagian tidak dapat kami balas. "
        "Silakan kirim kembali pertanyaan Anda satu per satu dan tunggu balasan sebelum mengirim pesan berikutnya.",
        "Sorry, you sent too many messages in a short time, so some of them could not be answered. "
        "Please send your question again, one message at a time, and wait for the answer before the next one.",
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
    "menu_officer": ("Hubungi petugas PPID", "Contact a PPID officer"),
    "officer_contact": (
        "Petugas PPID siap membantu pada jam layanan ({hours}):\n{contact}\n"
        "Bila Anda memerlukan informasi yang belum tersedia, Anda juga dapat mengajukan permohonan informasi "
        "resmi lewat chat ini.",
        "PPID officers can help you during service hours ({hours}):\n{contact}\n"
        "If you need information that is not published yet, you can also file a formal information request "
        "in this chat.",
    ),
    "choice_handoff": ("Chat dengan petugas", "Chat with an officer"),
    "handoff_started": (
        "Baik, percakapan ini kami teruskan ke petugas PPID. Mohon tunggu; petugas akan membalas di sini "
        'pada jam layanan. Ketik "selesai" untuk kembali ke asisten otomatis.',
        "All right, we are passing this conversation to a PPID officer. Please wait; an officer will answer "
        'here during service hours. Type "done" to go back to the automatic assistant.',
    ),
    "handoff_after_hours": (
        "Saat ini di luar jam layanan ({hours}). Petugas akan membalas mulai {opens}.",
        "We are outside service hours now ({hours}). An officer will answer from {opens}.",
    ),
    "handoff_waiting": (
        "Pesan Anda sudah diteruskan ke petugas PPID.",
        "Your message has been passed to a PPID officer.",
    ),
    "handoff_taken": (
        "Petugas PPID sudah bergabung dalam percakapan ini.",
        "A PPID officer has joined this conversation.",
    ),
    "handoff_officer_says": ("Petugas PPID: {text}", "PPID officer: {text}"),
    "handoff_released": (
        'Petugas telah mengakhiri percakapan. Asisten otomatis kembali membantu Anda; ketik "menu" untuk pilihan.',
        'The officer has ended the conversation. The automatic assistant is back; type "menu" for the options.',
    ),
    "handoff_ended": (
        'Baik, Anda kembali ke asisten otomatis. Ketik "menu" untuk pilihan.',
        'All right, you are back with the automatic assistant. Type "menu" for the options.',
    ),
    # --- end core ---
    # --- search ---
    "search_best": (
        "Informasi yang paling sesuai:\n{entry}",
        "The best match:\n{entry}",
    ),
    "search_entry": (
        "📄 {title}\nKategori: {category}\nUnit pengelola: {unit}{year}",
        "📄 {title}\nCategory: {category}\nHeld by: {unit}{year}",
    ),
    "search_year": ("\nTahun: {year}", "\nYear: {year}"),
    "search_summary": ("\nRingkasan: {summary}", "\nSummary: {summary}"),
    "search_hardcopy": (
        "\nInformasi ini tersedia dalam bentuk cetak. Silakan ajukan permohonan informasi untuk mendapatkan "
        "salinannya.",
        "\nThis information is available on paper. Please file an information request to receive a copy.",
    ),
    "search_faq": ("❓ {question}\n\n{answer}", "❓ {question}\n\n{answer}"),
    "search_exempt": (
        "🔒 {title}\nInformasi ini termasuk informasi yang dikecualikan berdasarkan {basis}, sehingga "
        "isinya tidak dapat kami berikan melalui layanan ini.\nAlasan: {reason}\n\n"
        "Anda tetap berhak mengajukan permohonan informasi secara resmi. Bila permohonan Anda ditolak, Anda "
        "dapat mengajukan keberatan kepada Atasan PPID.",
        "🔒 {title}\nThis information is exempt under {basis}, so we cannot give its contents through "
        "this service.\n"
        "Reason: {reason}\n\n"
        "You may still file a formal information request. If it is refused, you may lodge an objection "
        "with the PPID's superior.",
    ),
    "search_exempt_basis": (
        "Pasal 17 huruf {letter} UU Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
        "Article 17 letter {letter} of Law No. 14 of 2008 on Public Information Disclosure",
    ),
    "search_exempt_basis_plain": (
        "Pasal 17 UU Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
        "Article 17 of Law No. 14 of 2008 on Public Information Disclosure",
    ),
    "search_more": (
        "Informasi lain yang mungkin sesuai (ketik nomornya atau pilih tombolnya):",
        "Other information that may match (type its number or choose a button):",
    ),
    "search_maybe": (
        "Kami belum yakin menemukan yang Anda cari. Mungkin yang Anda maksud salah satu dari ini (ketik "
        "nomornya atau pilih tombolnya):",
        "We are not sure we found what you are looking for. Perhaps you mean one of these (type its number "
        "or choose a button):",
    ),
    "search_maybe_else": (
        "Bila bukan, silakan tulis dengan kata lain, ajukan permohonan informasi, atau hubungi petugas kami.",
        "If not, please try other words, file an information request, or contact our officer.",
    ),
    "search_exempt_mark": ("(dikecualikan)", "(exempt)"),
    "search_not_found": (
        'Mohon maaf, kami belum menemukan informasi yang sesuai dengan "{query}". 🙏\n'
        "Silakan coba dengan kata lain, lihat pertanyaan yang sering diajukan (FAQ), ajukan permohonan "
        "informasi secara resmi, atau hubungi petugas kami.",
        'Sorry, we could not find information matching "{query}". 🙏\n'
        "Please try other words, see the frequently asked questions (FAQ), file a formal information "
        "request, or contact our officer.",
    ),
    "search_other_year": (
        'Mohon maaf, informasi "{query}" untuk tahun yang Anda sebut belum ada di Daftar Informasi Publik '
        "{body}. 🙏\nYang tersedia: {title}.\nUntuk tahun lain, silakan ajukan permohonan informasi secara resmi.",
        'Sorry, "{query}" for the year you named is not in the public information register of {body}. 🙏\n'
        "What we hold: {title}.\nFor another year, please file a formal information request.",
    ),
    "search_elsewhere": (
        "Mohon maaf, pertanyaan Anda tampaknya tentang daerah lain. 🙏 Kami hanya memegang informasi {body}.\n"
        "Silakan hubungi pemerintah daerah yang bersangkutan, atau tulis pertanyaan Anda tentang wilayah kami.",
        "Sorry, your question seems to be about another region. 🙏 We only hold information of {body}.\n"
        "Please contact that region's government, or ask about our area.",
    ),
    "search_outside": (
        "Mohon maaf, layanan tersebut tampaknya bukan kewenangan {body}, melainkan instansi lain. 🙏\n"
        "Silakan hubungi instansi tersebut. Bila menurut Anda informasinya ada pada kami, ajukan permohonan "
        "informasi atau hubungi petugas kami.",
        "Sorry, that service seems to be held by another agency, not by {body}. 🙏\n"
        "Please contact that agency. If you think we hold the information, file a request or contact our officer.",
    ),
    "search_referral": (
        "Mohon maaf, informasi tersebut bukan kewenangan {body}. 🙏\n{referral}",
        "Sorry, that information is not held by {body}. 🙏\n{referral}",
    ),
    "search_unhelpful": (
        "Terima kasih, masukan Anda kami catat agar jawaban kami lebih baik. 🙏\n"
        "Silakan tulis dengan kata lain, ajukan permohonan informasi secara resmi, atau hubungi petugas kami.",
        "Thank you, we have noted it so that our answers improve. 🙏\n"
        "Please try other words, file a formal information request, or contact our officer.",
    ),
    "choice_unhelpful": ("Bukan ini", "Not this"),
    "search_faq_list": (
        "Pertanyaan yang sering diajukan (ketik nomornya atau pilih tombolnya):",
        "Frequently asked questions (type its number or choose a button):",
    ),
    "search_faq_more": (
        'Masih ada pertanyaan lain: pilih "Lihat FAQ berikutnya" atau ketik "faq {first}".',
        'There are more questions: choose "See more FAQ" or type "faq {first}".',
    ),
    "choice_faq_more": ("Lihat FAQ berikutnya (mulai no. {first})", "See more FAQ (from no. {first})"),
    "search_entry_gone": (
        'Mohon maaf, informasi tersebut sudah tidak tersedia. Silakan cari kembali atau ketik "menu".',
        'Sorry, that information is no longer available. Please search again or type "menu".',
    ),
    "choice_request": ("Ajukan permohonan", "File a request"),
    "choice_officer": ("Hubungi petugas", "Contact an officer"),
    "choice_faq": ("Lihat FAQ", "See the FAQ"),
    "category_berkala": (
        "informasi berkala (diumumkan secara rutin)",
        "periodic information (published regularly)",
    ),
    "category_serta_merta": (
        "informasi serta merta (diumumkan segera karena menyangkut keselamatan umum)",
        "immediate information (announced at once for public safety)",
    ),
    "category_setiap_saat": (
        "informasi tersedia setiap saat (dapat diminta kapan saja)",
        "information available at any time (on request)",
    ),
    "category_dikecualikan": ("informasi yang dikecualikan", "exempt information"),
    # --- end search ---
    # --- request form ---
    "menu_request": ("Ajukan permohonan informasi", "File an information request"),
    "menu_status": ("Cek status permohonan", "Check a request's status"),
    "menu_objection": ("Ajukan keberatan", "File an objection"),
    "form_unavailable": (
        "Mohon maaf, layanan permohonan informasi sedang tidak tersedia. Silakan coba lagi nanti "
        "atau hubungi kantor PPID.",
        "Sorry, the information request service is not available right now. Please try again later "
        "or contact the PPID office.",
    ),
    "form_pdp_notice": (
        "Sebelum mengisi formulir permohonan informasi, mohon baca pemberitahuan pelindungan data pribadi "
        "(UU 27/2022) berikut:\n"
        "• Data yang kami minta: jenis pemohon, nama, NIK (atau nomor pengesahan badan hukum), alamat, "
        "nomor telepon dan/atau email, rincian dan tujuan informasi, serta foto KTP/akta bila Anda kirim.\n"
        "• Tujuannya: mencatat dan menjawab permohonan Anda sesuai UU 14/2008 tentang Keterbukaan Informasi "
        "Publik. Dasarnya adalah kewajiban hukum dan pelayanan publik PPID (UU 27/2022 Pasal 20 ayat (2)).\n"
        "• Data identitas disimpan terenkripsi, hanya dibuka oleh petugas PPID yang berwenang, dan dihapus "
        "{retention} setelah permohonan selesai. Statistik tanpa identitas tetap disimpan untuk laporan tahunan.\n"
        "• Anda berhak melihat, memperbaiki, dan meminta penghapusan data Anda melalui PPID.\n"
        "Apakah Anda setuju? Ketik 1 (Setuju) atau 2 (Tidak setuju).\n"
        'Selama mengisi, ketik "kembali" untuk pertanyaan sebelumnya atau "batal" untuk membatalkan.',
        "Before you fill in the information request form, please read this personal data notice "
        "(Law 27/2022):\n"
        "• We ask for: requester type, name, NIK (or the legal entity's ratification number), address, "
        "phone and/or e-mail, what information you want and why, and a photo of your ID card/deed if you send one.\n"
        "• Why: to register and answer your request under Law 14/2008 on Public Information Disclosure, "
        "a legal obligation and public service of the PPID (Law 27/2022 Article 20(2)).\n"
        "• Identity data is stored encrypted, opened only by authorised PPID officers, and erased "
        "{retention} after the request is closed. Anonymous statistics are kept for the annual report.\n"
        "• You may see, correct and ask to erase your data through the PPID.\n"
        "Do you agree? Type 1 (Agree) or 2 (Do not agree).\n"
        'While filling in, type "back" for the previous question or "cancel" to stop.',
    ),
    "form_years": ("{n} tahun", "{n} years"),
    "form_days": ("{n} hari", "{n} days"),
    "form_choice_agree": ("Setuju", "Agree"),
    "form_choice_disagree": ("Tidak setuju", "Do not agree"),
    "form_consent_thanks": ("Terima kasih. Mari kita mulai.", "Thank you. Let us begin."),
    "form_consent_invalid": (
        "Mohon jawab 1 bila setuju atau 2 bila tidak setuju.",
        "Please answer 1 if you agree or 2 if you do not.",
    ),
    "form_consent_declined": (
        "Baik, formulir tidak dilanjutkan dan tidak ada data yang kami simpan. Anda tetap dapat mengajukan "
        'permohonan langsung ke kantor PPID. Ketik "menu" untuk layanan lain.',
        "All right, the form is stopped and no data has been kept. You can still file a request at the PPID "
        'office in person. Type "menu" for other services.',
    ),
    "form_q_requester_type": ("Anda mengajukan permohonan sebagai:", "You are filing the request as:"),
    "form_q_filing_as": (
        "Apakah permohonan ini untuk diri sendiri atau mewakili pihak lain?",
        "Is this request for yourself or on behalf of someone else?",
    ),
    "form_q_name": (
        "Siapa nama lengkap Anda sesuai KTP? Contoh: Siti Rahmawati",
        "What is your full name as on your ID card? Example: Siti Rahmawati",
    ),
    "form_q_name_entity": (
        "Apa nama badan hukum tersebut? Contoh: Yayasan Cahaya Warga",
        "What is the legal entity's name? Example: Yayasan Cahaya Warga",
    ),
    "form_q_name_group": (
        "Apa nama kelompok dan nama penanggung jawabnya? Contoh: Karang Taruna Melati, Budi Santoso",
        "What is the group's name and the name of the person responsible? "
        "Example: Karang Taruna Melati, Budi Santoso",
    ),
    "form_q_nik": (
        "Mohon ketik NIK (16 digit, ada di KTP). Contoh: 3273 0101 0190 0001",
        "Please type your NIK (16 digits, on your ID card). Example: 3273 0101 0190 0001",
    ),
    "form_q_legal_entity_number": (
        "Mohon ketik nomor pengesahan badan hukum dari Kemenkumham. Contoh: AHU-0012345.AH.01.01.Tahun 2020",
        "Please type the legal entity's ratification number from Kemenkumham. "
        "Example: AHU-0012345.AH.01.01.Tahun 2020",
    ),
    "form_q_address": (
        "Apa alamat lengkap Anda? Contoh: Jl. Merdeka No. 10, RT 02/RW 05, {city}",
        "What is your full address? Example: Jl. Merdeka No. 10, RT 02/RW 05, {city}",
    ),
    "form_q_phone": (
        "Nomor telepon/HP yang bisa dihubungi? Contoh: 0812-3456-7890",
        "A phone number we can reach you on? Example: 0812-3456-7890",
    ),
    "form_q_email": (
        "Alamat email Anda? Contoh: budi.santoso@gmail.com",
        "Your e-mail address? Example: budi.santoso@gmail.com",
    ),
    "form_q_email_required": (
        "Anda memilih salinan dikirim lewat email, jadi mohon ketik alamat email Anda. "
        "Contoh: budi.santoso@gmail.com",
        "You chose to receive the copy by e-mail, so please type your e-mail address. "
        "Example: budi.santoso@gmail.com",
    ),
    "form_email_typo": (
        "Apakah maksud Anda {suggested}? Alamat {typed} tampaknya salah ketik. Pilih alamat yang benar, "
        "atau ketik lagi alamat email Anda.",
        "Did you mean {suggested}? The address {typed} looks mistyped. Choose the right address, or type "
        "your e-mail address again.",
    ),
    "form_optional_hint": (
        'Ketik "lewati" bila tidak ada. (Kami tetap bisa menghubungi Anda lewat chat ini.)',
        'Type "skip" if you have none. (We can still reach you through this chat.)',
    ),
    "form_q_information": (
        "Informasi apa yang Anda minta? Tuliskan serinci mungkin. "
        "Contoh: Salinan dokumen APBD {city} tahun 2024 beserta lampirannya",
        "What information are you asking for? Be as specific as you can. "
        "Example: A copy of the 2024 budget (APBD) of {city} with its annexes",
    ),
    "form_q_purpose": (
        "Untuk apa informasi tersebut akan digunakan? "
        "Contoh: Untuk bahan penelitian skripsi tentang transparansi anggaran daerah",
        "What will you use the information for? Example: For my thesis research on budget transparency",
    ),
    "form_q_obtain_method": (
        "Bagaimana Anda ingin memperoleh informasi?",
        "How would you like to obtain the information?",
    ),
    "form_q_copy_delivery": (
        "Bagaimana salinan informasi dikirimkan kepada Anda?",
        "How should the copy reach you?",
    ),
    "form_q_attachment": (
        'Bila berkenan, kirim foto KTP Anda sebagai lampiran (disimpan terenkripsi), atau ketik "lewati".',
        'If you wish, send a photo of your ID card as an attachment (stored encrypted), or type "skip".',
    ),
    "form_q_attachment_entity": (
        "Bila ada, kirim foto/berkas akta pendirian atau SK pengesahan badan hukum (disimpan terenkripsi), "
        'atau ketik "lewati".',
        "If you have it, send a photo or file of the deed of establishment or the ratification decree "
        '(stored encrypted), or type "skip".',
    ),
    "form_q_attachment_proxy": (
        "Karena Anda mewakili pihak lain, mohon kirim foto/berkas surat kuasa (disimpan terenkripsi), "
        'atau ketik "lewati" bila akan menyerahkannya langsung ke kantor PPID.',
        "As you act for someone else, please send a photo or file of the power of attorney (stored "
        'encrypted), or type "skip" if you will hand it in at the PPID office.',
    ),
    "form_choice_skip": ("Lewati", "Skip"),
    "form_attachment_received": (
        "Terima kasih, lampiran sudah kami terima.",
        "Thank you, we have the attachment.",
    ),
    "form_attachment_need_file": (
        'Mohon kirim foto atau berkas (PDF), atau ketik "lewati" bila tidak ada.',
        'Please send a photo or a file (PDF), or type "skip" if you have none.',
    ),
    "form_need_file_or_skip": (
        'Maaf, yang bisa kami terima di sini hanya foto atau berkas. Kirim fotonya, atau ketik "lewati".',
        'Sorry, only a photo or a file can be accepted here. Send the photo, or type "skip".',
    ),
    "form_need_text": (
        "Maaf, untuk pertanyaan ini mohon jawab dengan mengetik teks.",
        "Sorry, please answer this question by typing text.",
    ),
    "form_welcome_back": (
        "Selamat datang kembali! Anda sedang mengisi formulir permohonan informasi; jawaban sebelumnya "
        'sudah tersimpan. Mari lanjutkan (ketik "batal" bila ingin berhenti):',
        "Welcome back! You are filling in the information request form; your earlier answers are saved. "
        'Let us continue (type "cancel" to stop):',
    ),
    "form_first_question": (
        "Ini pertanyaan pertama, jadi tidak ada pertanyaan sebelumnya.",
        "This is the first question; there is none before it.",
    ),
    "form_label_requester_type": ("Jenis pemohon", "Requester type"),
    "form_label_filing_as": ("Diajukan", "Filed"),
    "form_label_name": ("Nama", "Name"),
    "form_label_nik": ("NIK", "NIK"),
    "form_label_legal_entity_number": ("Nomor pengesahan badan hukum", "Ratification number"),
    "form_label_address": ("Alamat", "Address"),
    "form_label_phone": ("Telepon", "Phone"),
    "form_label_email": ("Email", "E-mail"),
    "form_label_information": ("Rincian informasi", "Information requested"),
    "form_label_purpose": ("Tujuan penggunaan", "Purpose"),
    "form_label_obtain_method": ("Cara memperoleh", "How to obtain"),
    "form_label_copy_delivery": ("Cara mendapatkan salinan", "How to receive the copy"),
    "form_label_attachment": ("Lampiran", "Attachment"),
    "form_not_given": ("(tidak diisi)", "(not given)"),
    "form_file_attached": ("1 berkas terlampir", "1 file attached"),
    "form_summary_title": (
        "Mohon periksa kembali permohonan Anda:",
        "Please check your request:",
    ),
    "form_summary_actions": (
        "Apakah sudah benar?\n1. Kirim permohonan\n2. Ubah data\n3. Batalkan",
        "Is everything correct?\n1. Send the request\n2. Change something\n3. Cancel",
    ),
    "form_choice_confirm": ("Kirim permohonan", "Send the request"),
    "form_choice_edit": ("Ubah data", "Change something"),
    "form_choice_discard": ("Batalkan", "Cancel"),
    "form_summary_invalid": (
        "Mohon pilih 1 untuk mengirim, 2 untuk mengubah data, atau 3 untuk membatalkan.",
        "Please choose 1 to send, 2 to change something, or 3 to cancel.",
    ),
    "form_edit_prompt": (
        "Data mana yang ingin diubah? Ketik nomornya:",
        "What would you like to change? Type its number:",
    ),
    "form_edit_invalid": (
        "Maaf, pilihan itu tidak ada. Ketik nomor 1 sampai {count}.",
        "Sorry, there is no such item. Type a number from 1 to {count}.",
    ),
    "form_filed": (
        "Terima kasih, permohonan informasi Anda sudah kami terima dan dicatat dengan nomor pendaftaran "
        "{number}.\n"
        "PPID wajib memberikan pemberitahuan tertulis paling lambat {due} (10 hari kerja, UU 14/2008 "
        "Pasal 22 ayat (7)); waktu ini dapat diperpanjang satu kali paling lama 7 hari kerja dengan alasan "
        "tertulis.",
        "Thank you, your information request has been received and registered under number {number}.\n"
        "The PPID must send you a written notice by {due} at the latest (10 working days, Law 14/2008 "
        "Article 22(7)); this may be extended once by at most 7 working days with written reasons.",
    ),
    "form_filed_after_hours": (
        "Karena dikirim di luar hari/jam layanan, permohonan dihitung diterima pada {received}.",
        "As it was sent outside office days/hours, the request counts as received on {received}.",
    ),
    "form_filed_next": (
        'Simpan nomor ini. Ketik "cek status {number}" kapan saja untuk melihat perkembangannya.',
        'Keep this number. Type "cek status {number}" at any time to follow it.',
    ),
    "form_filed_access_code": (
        "Kode akses permohonan ini: {code}\n"
        "Di chat ini Anda tidak memerlukan kode. Kode ini dipakai untuk mengecek status atau mengajukan "
        "keberatan dari chat atau perangkat lain; berikan hanya kepada orang yang Anda percayai. Ketik "
        '"kode akses saya" di chat ini untuk melihatnya lagi.',
        "Access code of this request: {code}\n"
        "You do not need it in this chat. It lets you check the status or file an objection from another "
        'chat or device; give it only to people you trust. Type "my access code" in this chat to see it '
        "again.",
    ),
    "status_received": ("Diterima", "Received"),
    "status_in_progress": ("Sedang diproses", "In progress"),
    "status_extended": ("Diperpanjang", "Extended"),
    "status_answered": ("Sudah dijawab", "Answered"),
    "status_objected": ("Dalam proses keberatan", "Under objection"),
    "status_objection_answered": ("Keberatan sudah dijawab", "Objection answered"),
    "status_withdrawn": ("Dicabut", "Withdrawn"),
    "status_closed": ("Selesai", "Closed"),
    "status_ask_number": (
        "Silakan ketik nomor pendaftaran permohonan Anda. Contoh: PPID-2026-000123",
        "Please type your request's registration number. Example: PPID-2026-000123",
    ),
    "status_pick": (
        "Permohonan yang diajukan dari chat ini (ketik nomor urutnya), atau ketik nomor pendaftaran lain:",
        "Requests filed from this chat (type the list number), or type another registration number:",
    ),
    "status_number_invalid": (
        "Maaf, nomor pendaftaran belum kami kenali. Formatnya seperti PPID-2026-000123. "
        'Bila lupa nomornya, ketik "hubungi petugas"; ketik "batal" untuk keluar.',
        "Sorry, we did not recognise that registration number. It looks like PPID-2026-000123. "
        'If you have forgotten it, type "contact an officer"; type "cancel" to leave.',
    ),
    "status_need_text": (
        'Mohon ketik nomor pendaftaran, misalnya PPID-2026-000123, atau "batal".',
        'Please type the registration number, e.g. PPID-2026-000123, or "cancel".',
    ),
    "status_ask_code": (
        "Untuk melindungi data pemohon, status permohonan hanya dapat dilihat, dan keberatan hanya dapat "
        "diajukan, dari chat tempat permohonan itu diajukan, atau dengan kode aksesnya. Mohon ketik kode "
        "akses {number}. Contoh: ABCD-EFGH-JKMN",
        "To protect the requester's data, a request's status can be seen, and an objection filed, only from "
        "the chat the request was filed from, or with its access code. Please type the access code of "
        "{number}. Example: ABCD-EFGH-JKMN",
    ),
    "status_code_invalid": (
        "Kode akses terdiri dari 12 huruf dan angka, misalnya ABCD-EFGH-JKMN. Mohon ketik lagi, atau "
        '"batal".',
        'An access code has 12 letters and digits, e.g. ABCD-EFGH-JKMN. Please type it again, or "cancel".',
    ),
    "status_wait": (
        "Mohon maaf, sudah terlalu banyak kode atau nomor yang tidak cocok dari chat ini. Demi keamanan data "
        "pemohon, silakan coba lagi sekitar satu jam lagi, atau hubungi kantor PPID. Permohonan yang diajukan "
        "dari chat ini tetap dapat dicek seperti biasa.",
        "Sorry, too many codes or numbers from this chat did not match. To keep requesters' data safe, "
        "please try again in about an hour, or contact the PPID office. Requests filed from this chat can "
        "still be checked as usual.",
    ),
    "status_not_found": (
        "Maaf, permohonan tersebut tidak ditemukan, atau data yang Anda berikan tidak cocok. Periksa kembali "
        'nomor pendaftarannya, atau hubungi kantor PPID. Ketik "menu" untuk layanan lain.',
        "Sorry, that request was not found, or the details you gave do not match. Please check the "
        'registration number, or contact the PPID office. Type "menu" for other services.',
    ),
    "access_code_title": (
        "Kode akses permohonan yang diajukan dari chat ini:",
        "Access codes of the requests filed from this chat:",
    ),
    "access_code_missing": (
        "(tanpa kode akses; hubungi kantor PPID)",
        "(no access code; please contact the PPID office)",
    ),
    "access_code_keep": (
        "Di chat ini Anda tidak memerlukan kode. Berikan kode hanya kepada orang yang Anda percayai.",
        "You do not need a code in this chat. Give a code only to people you trust.",
    ),
    "access_code_none": (
        "Kode akses hanya ditampilkan di chat tempat permohonan diajukan, dan tidak ada permohonan tersebut "
        'yang diajukan dari chat ini. Ketik "menu" untuk layanan lain.',
        "Access codes are shown only in the chat a request was filed from, and no such request was filed "
        'from this chat. Type "menu" for other services.',
    ),
    "status_header": ("Status permohonan {number}:", "Status of request {number}:"),
    "status_line": ("• Status: {status}", "• Status: {status}"),
    "status_received_on": ("• Diterima: {received}", "• Received: {received}"),
    "status_due": (
        "• Batas waktu pemberitahuan tertulis: {due} (sisa {days} hari kerja)",
        "• Written notice due: {due} ({days} working days left)",
    ),
    "status_overdue": (
        "• Batas waktu pemberitahuan tertulis: {due}, dan sudah terlewati. Anda dapat mengajukan keberatan "
        '(ketik "keberatan").',
        '• Written notice due: {due}, and it has passed. You may file an objection (type "objection").',
    ),
    "status_extended_reason": ("• Alasan perpanjangan: {reason}", "• Reason for the extension: {reason}"),
    "status_objection_pending": (
        "• Keberatan {number}: menunggu tanggapan Atasan PPID paling lambat {due}",
        "• Objection {number}: awaiting the PPID's superior's answer by {due}",
    ),
    "status_objection_upheld": (
        "• Keberatan {number}: diterima. {answer}",
        "• Objection {number}: upheld. {answer}",
    ),
    "status_objection_dismissed": (
        "• Keberatan {number}: ditolak. {answer} Bila tidak puas, Anda dapat mengajukan sengketa ke Komisi "
        "Informasi paling lambat {commission}.",
        "• Objection {number}: dismissed. {answer} If you are not satisfied, you may take the dispute to the "
        "Information Commission by {commission}.",
    ),
    "notice_outcome": ("• Keputusan: {outcome}", "• Decision: {outcome}"),
    "notice_pasal17": (
        "• Dasar pengecualian: {label} UU 14/2008 ({text})",
        "• Exemption: {label} of Law 14/2008 ({text})",
    ),
    "notice_reason": ("• Alasan: {reason}", "• Reason: {reason}"),
    "notice_holder": (
        "• Informasi ini dikuasai oleh: {holder}. Silakan ajukan permohonan ke sana.",
        "• This information is held by: {holder}. Please send your request there.",
    ),
    "notice_note": ("• Catatan PPID: {note}", "• Note from the PPID: {note}"),
    "notice_decided": (
        "Pemberitahuan tertulis atas permohonan informasi {number} (UU 14/2008 Pasal 22 ayat (7)):",
        "Written notice on information request {number} (Law 14/2008 Article 22(7)):",
    ),
    # the written notice as a letter (handlers/written_notice.py; console page and PDF)
    "wn_title": ("PEMBERITAHUAN TERTULIS", "WRITTEN NOTICE"),
    "wn_subtitle": (
        "atas permohonan informasi publik (UU 14/2008 Pasal 22 ayat (7))",
        "on a request for public information (Law 14/2008 Article 22(7))",
    ),
    "wn_number": ("Nomor pendaftaran", "Registration number"),
    "wn_received": ("Tanggal permohonan diterima", "Request received on"),
    "wn_information": ("Informasi yang diminta", "Information requested"),
    "wn_held": ("Penguasaan informasi", "Whether the body holds it"),
    "wn_held_yes": ("Informasi dikuasai oleh badan publik ini", "Held by this public body"),
    "wn_held_no": ("Tidak dikuasai; dikuasai oleh: {holder}", "Not held; held by: {holder}"),
    "wn_held_undocumented": ("Belum didokumentasikan", "Not yet documented"),
    "wn_outcome": ("Keputusan", "Decision"),
    "wn_exemption": ("Dasar pengecualian", "Exemption"),
    "wn_reason": ("Alasan / bagian yang dihitamkan", "Reasons / parts blacked out"),
    "wn_obtain": ("Bentuk informasi", "Form of the information"),
    "wn_delivery": ("Cara penyampaian", "How it is delivered"),
    "wn_cost": ("Biaya", "Cost"),
    "wn_cost_text": (
        "Informasi tidak dipungut biaya; hanya biaya penggandaan atau pengiriman bila ada, dengan tarif wajar "
        "(UU 14/2008 Pasal 21)",
        "The information is free of charge; only copying or delivery may cost, at a reasonable rate "
        "(Law 14/2008 Article 21)",
    ),
    "wn_note": ("Catatan PPID", "Note from the PPID"),
    "wn_issued": ("Tanggal pemberitahuan", "Date of this notice"),
    "wn_signed": (
        "Pejabat Pengelola Informasi dan Dokumentasi (PPID)",
        "Information and Documentation Officer (PPID)",
    ),
    "wn_document_sent": (
        "Dokumen jawaban atas permohonan {number} terlampir.",
        "The answer document for request {number} is attached.",
    ),
    "notice_objection_hint": (
        "Bila Anda tidak puas, Anda dapat mengajukan keberatan kepada Atasan PPID paling lambat {closes} "
        '(30 hari kerja, UU 14/2008 Pasal 36). Ketik "keberatan".',
        "If you are not satisfied, you may object to the PPID's superior by {closes} "
        '(30 working days, Law 14/2008 Article 36). Type "objection".',
    ),
    "notice_extended": (
        "Pemberitahuan perpanjangan waktu untuk permohonan {number}: PPID memerlukan waktu tambahan, sehingga "
        "pemberitahuan tertulis akan diberikan paling lambat {due} (UU 14/2008 Pasal 22 ayat (8)).\n"
        "Alasan: {reason}",
        "Extension notice for request {number}: the PPID needs more time, so the written notice will be "
        "given by {due} at the latest (Law 14/2008 Article 22(8)).\nReason: {reason}",
    ),
    "notice_objection_upheld": (
        "Tanggapan Atasan PPID atas keberatan {number} (permohonan {request}): keberatan Anda DITERIMA.\n"
        "{answer}\nBila tanggapan ini tidak dilaksanakan, Anda dapat mengajukan sengketa ke Komisi Informasi "
        "paling lambat {commission} (UU 14/2008 Pasal 37).",
        "The PPID's superior answered objection {number} (request {request}): your objection is UPHELD.\n"
        "{answer}\nIf this is not carried out, you may take the dispute to the Information Commission by "
        "{commission} (Law 14/2008 Article 37).",
    ),
    "notice_objection_dismissed": (
        "Tanggapan Atasan PPID atas keberatan {number} (permohonan {request}): keberatan Anda DITOLAK.\n"
        "{answer}\nBila tidak puas, Anda dapat mengajukan sengketa informasi ke Komisi Informasi paling lambat "
        "{commission} (14 hari kerja, UU 14/2008 Pasal 37 ayat (2)), dengan membawa salinan permohonan, "
        "keberatan, dan tanggapan ini.",
        "The PPID's superior answered objection {number} (request {request}): your objection is DISMISSED.\n"
        "{answer}\nIf you are not satisfied, you may take the dispute to the Information Commission by "
        "{commission} (14 working days, Law 14/2008 Article 37(2)), with copies of the request, the "
        "objection and this answer.",
    ),
    "objection_pick": (
        "Keberatan diajukan kepada Atasan PPID (UU 14/2008 Pasal 35). Permohonan mana yang Anda keberatan? "
        "Ketik nomor urutnya, atau nomor pendaftaran lain:",
        "An objection goes to the PPID's superior (Law 14/2008 Article 35). Which request do you object to? "
        "Type its list number, or another registration number:",
    ),
    "objection_ask_number": (
        "Keberatan diajukan kepada Atasan PPID (UU 14/2008 Pasal 35). Mohon ketik nomor pendaftaran "
        "permohonan yang Anda keberatan. Contoh: PPID-2026-000123",
        "An objection goes to the PPID's superior (Law 14/2008 Article 35). Please type the registration "
        "number of the request you object to. Example: PPID-2026-000123",
    ),
    "objection_window_closed": (
        "Mohon maaf, batas waktu pengajuan keberatan untuk permohonan ini (30 hari kerja, UU 14/2008 Pasal 36 "
        "ayat (1)) sudah berakhir pada {closes}. Anda tetap dapat mengajukan permohonan informasi baru.",
        "Sorry, the time to object to this request (30 working days, Law 14/2008 Article 36(1)) ended on "
        "{closes}. You can still file a new information request.",
    ),
    "objection_already": (
        "Permohonan {number} berstatus \u201c{status}\u201d, sehingga tidak dapat diajukan keberatan lagi melalui chat. "
        'Ketik "cek status {number}" untuk melihat perkembangannya.',
        "Request {number} is \u201c{status}\u201d, so no further objection can be filed by chat. "
        'Type "cek status {number}" to follow it.',
    ),
    "objection_too_early": (
        "Batas waktu jawaban PPID untuk permohonan ini baru berakhir pada {due}, jadi alasan ini belum bisa "
        "dipakai. Silakan pilih alasan lain, atau ajukan keberatan setelah tanggal tersebut.",
        "The PPID's deadline for this request ends only on {due}, so this ground cannot be used yet. "
        "Please choose another ground, or object after that date.",
    ),
    "objection_ground_problem_not_refused": (
        "Permohonan ini tidak ditolak berdasarkan Pasal 17, jadi alasan huruf a tidak dapat dipakai. "
        "Silakan pilih alasan lain.",
        "This request was not refused under Article 17, so ground a does not apply. Please choose another "
        "ground.",
    ),
    "objection_ground_problem_answered": (
        "Permohonan ini sudah ditanggapi, jadi alasan huruf c (tidak ditanggapi) tidak dapat dipakai. "
        "Silakan pilih alasan lain.",
        "This request has been answered, so ground c (no response) does not apply. Please choose another "
        "ground.",
    ),
    "objection_ground_problem_not_answered": (
        "Permohonan ini belum ditanggapi, jadi alasan huruf d (ditanggapi tidak sesuai permintaan) belum "
        "dapat dipakai. Silakan pilih alasan lain.",
        "This request has not been answered yet, so ground d (answered not as asked) does not apply yet. "
        "Please choose another ground.",
    ),
    "objection_ground_problem_answered_in_time": (
        "Pemberitahuan tertulis atas permohonan ini diberikan tepat waktu, jadi alasan huruf g tidak dapat "
        "dipakai. Silakan pilih alasan lain.",
        "The written notice on this request came in time, so ground g does not apply. Please choose another "
        "ground.",
    ),
    "objection_ground_problem_too_early": (
        "Alasan ini belum dapat dipakai karena batas waktu jawaban PPID belum terlewati. Silakan pilih alasan "
        "lain.",
        "This ground cannot be used yet, as the PPID's deadline has not passed. Please choose another ground.",
    ),
    "objection_grounds_title": (
        "Apa alasan keberatan Anda (UU 14/2008 Pasal 35 ayat (1))? Ketik hurufnya:",
        "What is the ground of your objection (Law 14/2008 Article 35(1))? Type its letter:",
    ),
    "objection_ground_invalid": (
        "Maaf, mohon ketik salah satu huruf a sampai g.",
        "Sorry, please type one of the letters a to g.",
    ),
    "objection_ask_explanation": (
        "Alasan: {ground}\nMohon jelaskan keberatan Anda secara singkat. Contoh: {example}",
        "Ground: {ground}\nPlease explain your objection briefly. Example: {example}",
    ),
    "objection_explain_short": (
        "Mohon jelaskan keberatan Anda (paling sedikit {minimum} karakter), misalnya: {example}",
        "Please explain your objection (at least {minimum} characters), e.g. {example}",
    ),
    "objection_explain_long": (
        "Maaf, penjelasan terlalu panjang ({length} karakter; paling banyak {limit}). Mohon ringkas, "
        "misalnya: {example}",
        "Sorry, that explanation is too long ({length} characters; at most {limit}). Please shorten it, "
        "e.g. {example}",
    ),
    "objection_summary": (
        "Mohon periksa kembali keberatan Anda sebelum dikirim kepada Atasan PPID:\n"
        "• Permohonan: {request}\n"
        "• Alasan (UU 14/2008 Pasal 35 ayat (1) huruf {letter}): {ground}\n"
        "• Penjelasan: {explanation}\n\n"
        "Apakah sudah benar?\n1. Kirim keberatan\n2. Ubah alasan atau penjelasan\n3. Batalkan",
        "Please check your objection before it goes to the PPID's superior:\n"
        "• Request: {request}\n"
        "• Ground (Law 14/2008 Article 35(1) letter {letter}): {ground}\n"
        "• Explanation: {explanation}\n\n"
        "Is everything correct?\n1. Send the objection\n2. Change the ground or explanation\n3. Cancel",
    ),
    "objection_choice_send": ("Kirim keberatan", "Send the objection"),
    "objection_choice_edit": ("Ubah alasan atau penjelasan", "Change the ground or explanation"),
    "objection_summary_invalid": (
        "Mohon pilih 1 untuk mengirim keberatan, 2 untuk mengubahnya, atau 3 untuk membatalkan.",
        "Please choose 1 to send the objection, 2 to change it, or 3 to cancel.",
    ),
    "objection_filed": (
        "Keberatan Anda atas permohonan {request} sudah kami terima dengan nomor {number}.\n"
        "Atasan PPID wajib memberikan tanggapan tertulis paling lambat {due} (30 hari kerja, UU 14/2008 "
        "Pasal 36 ayat (2)).\n"
        "Bila tanggapannya tidak memuaskan, atau tidak ada tanggapan sampai batas itu, Anda dapat mengajukan "
        "sengketa informasi ke Komisi Informasi dalam 14 hari kerja setelah tanggapan diterima (paling lambat "
        "{commission} bila tidak ada tanggapan), UU 14/2008 Pasal 37.",
        "Your objection to request {request} has been received under number {number}.\n"
        "The PPID's superior must answer in writing by {due} (30 working days, Law 14/2008 Article 36(2)).\n"
        "If the answer does not satisfy you, or there is no answer by then, you may take the dispute to the "
        "Information Commission within 14 working days after the answer (by {commission} if there is no "
        "answer), Law 14/2008 Article 37.",
    ),
    # --- end request form ---
    # --- channels ---
    "attachment_refused": (
        "Maaf, berkas tersebut tidak dapat kami terima. Silakan kirim foto (JPG/PNG) atau dokumen PDF "
        "berukuran paling besar 10 MB.",
        "Sorry, we could not accept that file. Please send a photo (JPG/PNG) or a PDF document "
        "of at most 10 MB.",
    ),
    "group_private_only": (
        "Untuk permohonan informasi, status permohonan, atau keberatan, kami memerlukan data pribadi Anda. "
        "Demi keamanan data Anda, silakan lanjutkan lewat chat pribadi dengan saya.",
        "An information request, a status check or an objection needs your personal data. "
        "To keep it safe, please continue in a private chat with me.",
    ),
    "open_private_chat": ("Buka chat pribadi", "Open a private chat"),
    "share_phone_button": ("📱 Kirim nomor telepon saya", "📱 Share my phone number"),
    "whatsapp_list_button": ("Lihat pilihan", "See options"),
    "command_menu": ("Tampilkan menu layanan", "Show the services"),
    "command_help": ("Cara menggunakan layanan ini", "How to use this service"),
    "command_cancel": ("Batalkan langkah yang sedang berjalan", "Cancel the current step"),
    # --- end channels ---
    # --- form cleaners ---
    "clean_name_short": (
        "Mohon tuliskan nama lengkap Anda sesuai KTP, misalnya: Siti Rahmawati.",
        "Please type your full name as on your ID card, e.g. Siti Rahmawati.",
    ),
    "clean_name_long": (
        "Maaf, nama terlalu panjang (paling banyak {limit} karakter). Mohon tulis nama lengkap saja, "
        "misalnya: Drs. H. Abdul Rahman, S.H.",
        "Sorry, that name is too long (at most {limit} characters). Please type just the full name, "
        "e.g. Drs. H. Abdul Rahman, S.H.",
    ),
    "clean_name_chars": (
        "Maaf, nama hanya boleh berisi huruf, spasi, titik, koma, tanda petik, dan tanda hubung "
        "(tanpa angka atau emoji). Contoh: Drs. H. Abdul Rahman, S.H.",
        "Sorry, a name may only contain letters, spaces, full stops, commas, apostrophes and hyphens "
        "(no digits or emoji). Example: Drs. H. Abdul Rahman, S.H.",
    ),
    "clean_nik_non_digit": (
        "Maaf, NIK hanya berisi angka (boleh dipisah spasi atau titik). "
        "Silakan ketik 16 digit NIK dari KTP Anda, misalnya: 3273 0101 0190 0001.",
        "Sorry, a NIK contains digits only (spaces or dots between them are fine). "
        "Please type the 16 digits of the NIK on your ID card, e.g. 3273 0101 0190 0001.",
    ),
    "clean_nik_length": (
        "Maaf, NIK harus 16 digit, sedangkan yang Anda ketik {digits} digit. "
        "Mohon periksa kembali KTP Anda, misalnya: 3273 0101 0190 0001.",
        "Sorry, a NIK has 16 digits and you typed {digits}. "
        "Please check your ID card again, e.g. 3273 0101 0190 0001.",
    ),
    "clean_nik_province": (
        "Maaf, dua digit pertama NIK (kode provinsi) tidak dikenal. "
        "Mohon periksa kembali NIK pada KTP Anda, misalnya: 3273 0101 0190 0001 (32 = Jawa Barat).",
        "Sorry, the first two digits of the NIK (the province code) are not a known province. "
        "Please check the NIK on your ID card, e.g. 3273 0101 0190 0001 (32 = West Java).",
    ),
    "clean_nik_region": (
        "Maaf, kode kabupaten/kota atau kecamatan pada NIK (digit ke-3 sampai ke-6) tidak mungkin "
        "bernilai 00. Mohon periksa kembali KTP Anda, misalnya: 3273 0101 0190 0001.",
        "Sorry, the regency or district code in the NIK (digits 3 to 6) cannot be 00. "
        "Please check your ID card again, e.g. 3273 0101 0190 0001.",
    ),
    "clean_nik_birth_date": (
        "Maaf, digit ke-7 sampai ke-12 NIK (tanggal lahir HHBBTT; untuk perempuan tanggal ditambah 40) "
        "bukan tanggal yang benar. Mohon periksa kembali KTP Anda, misalnya: 3273 0101 0190 0001 "
        "(lahir 01-01-1990).",
        "Sorry, digits 7 to 12 of the NIK (date of birth DDMMYY; women add 40 to the day) are not a real "
        "date. Please check your ID card again, e.g. 3273 0101 0190 0001 (born 01-01-1990).",
    ),
    "clean_nik_serial": (
        "Maaf, empat digit terakhir NIK tidak mungkin 0000. "
        "Mohon periksa kembali KTP Anda, misalnya: 3273 0101 0190 0001.",
        "Sorry, the last four digits of a NIK cannot be 0000. "
        "Please check your ID card again, e.g. 3273 0101 0190 0001.",
    ),
    "nik_not_verified": (
        "Catatan: kami hanya memeriksa format NIK, tidak mencocokkannya dengan data Dukcapil.",
        "Note: we only check the format of the NIK; we cannot match it against the civil registry (Dukcapil).",
    ),
    "clean_legal_entity_invalid": (
        "Maaf, nomor pengesahan badan hukum dari Kemenkumham belum sesuai. Mohon ketik nomornya "
        "seperti pada SK, misalnya: AHU-0012345.AH.01.01.Tahun 2020.",
        "Sorry, that does not look like a Kemenkumham ratification number. Please type it as on the "
        "decree, e.g. AHU-0012345.AH.01.01.Tahun 2020.",
    ),
    "clean_address_short": (
        "Mohon tuliskan alamat lengkap (paling sedikit {minimum} karakter), misalnya: "
        "Jl. Merdeka No. 10, RT 02/RW 05, {city}.",
        "Please type your full address (at least {minimum} characters), e.g. "
        "Jl. Merdeka No. 10, RT 02/RW 05, {city}.",
    ),
    "clean_address_long": (
        "Maaf, alamat terlalu panjang ({length} karakter; paling banyak {limit}). Mohon ringkas, "
        "misalnya: Jl. Merdeka No. 10, RT 02/RW 05, {city}.",
        "Sorry, that address is too long ({length} characters; at most {limit}). Please shorten it, "
        "e.g. Jl. Merdeka No. 10, RT 02/RW 05, {city}.",
    ),
    "clean_phone_invalid": (
        "Maaf, nomor telepon tersebut tidak dapat kami kenali. Mohon ketik nomor HP atau telepon rumah "
        "beserta kode area, misalnya: 0812-3456-7890 atau (022) 423 1234.",
        "Sorry, we could not recognise that phone number. Please type a mobile or landline number "
        "with its area code, e.g. 0812-3456-7890 or (022) 423 1234.",
    ),
    "clean_phone_type": (
        "Maaf, nomor tersebut bukan nomor HP atau telepon biasa (misalnya nomor bebas pulsa). "
        "Mohon ketik nomor yang bisa kami hubungi, misalnya: 0812-3456-7890.",
        "Sorry, that is not a mobile or landline number (it may be a toll-free number). "
        "Please type a number we can reach you on, e.g. 0812-3456-7890.",
    ),
    "clean_email_invalid": (
        "Maaf, alamat email tersebut belum benar. Mohon periksa kembali, misalnya: budi.santoso@gmail.com.",
        "Sorry, that e-mail address is not valid. Please check it again, e.g. budi.santoso@gmail.com.",
    ),
    "clean_information_short": (
        "Mohon jelaskan informasi yang Anda minta dengan lebih rinci (paling sedikit {minimum} karakter), "
        "misalnya: Salinan dokumen APBD {city} tahun 2024 beserta lampirannya.",
        "Please describe the information you want in more detail (at least {minimum} characters), "
        "e.g. A copy of the 2024 budget (APBD) of {city} with its annexes.",
    ),
    "clean_information_long": (
        "Maaf, rincian informasi terlalu panjang ({length} karakter; paling banyak {limit}). "
        "Mohon ringkas, misalnya: Salinan dokumen APBD {city} tahun 2024 beserta lampirannya.",
        "Sorry, that description is too long ({length} characters; at most {limit}). "
        "Please shorten it, e.g. A copy of the 2024 budget (APBD) of {city} with its annexes.",
    ),
    "clean_purpose_short": (
        "Mohon tuliskan tujuan penggunaan informasi (paling sedikit {minimum} karakter), "
        "misalnya: Untuk bahan penelitian skripsi tentang transparansi anggaran daerah.",
        "Please type what you will use the information for (at least {minimum} characters), "
        "e.g. For my thesis research on budget transparency.",
    ),
    "clean_purpose_long": (
        "Maaf, tujuan penggunaan terlalu panjang ({length} karakter; paling banyak {limit}). "
        "Mohon ringkas, misalnya: Untuk bahan penelitian skripsi tentang transparansi anggaran daerah.",
        "Sorry, that purpose is too long ({length} characters; at most {limit}). "
        "Please shorten it, e.g. For my thesis research on budget transparency.",
    ),
    "clean_free_text_short": (
        "Mohon tuliskan penjelasan Anda (paling sedikit {minimum} karakter), "
        "misalnya: Sampai hari ini saya belum menerima jawaban atas permohonan saya.",
        "Please type your explanation (at least {minimum} characters), "
        "e.g. I have not received any answer to my request so far.",
    ),
    "clean_free_text_long": (
        "Maaf, penjelasan terlalu panjang ({length} karakter; paling banyak {limit}). Mohon ringkas, "
        "misalnya: Sampai hari ini saya belum menerima jawaban atas permohonan saya.",
        "Sorry, that explanation is too long ({length} characters; at most {limit}). Please shorten it, "
        "e.g. I have not received any answer to my request so far.",
    ),
    "clean_requester_type_invalid": (
        "Maaf, pilihan belum kami kenali. Ketik 1 untuk Perorangan, 2 untuk Badan hukum, "
        "atau 3 untuk Kelompok masyarakat. Contoh: 1",
        "Sorry, we did not recognise that choice. Type 1 for Individual, 2 for Legal entity, "
        "or 3 for Group. Example: 1",
    ),
    "clean_filing_as_invalid": (
        "Maaf, pilihan belum kami kenali. Ketik 1 bila mengajukan untuk diri sendiri, "
        "atau 2 bila mewakili orang lain dengan surat kuasa. Contoh: 1",
        "Sorry, we did not recognise that choice. Type 1 if you are asking for yourself, "
        "or 2 if you act for someone else with a power of attorney. Example: 1",
    ),
    "clean_obtain_method_invalid": (
        "Maaf, pilihan belum kami kenali. Ketik 1 untuk melihat/membaca/mendengarkan/mencatat, "
        "2 untuk salinan softcopy (file), atau 3 untuk salinan hardcopy (cetak). Contoh: 2",
        "Sorry, we did not recognise that choice. Type 1 to see/read/listen/take notes, "
        "2 for a softcopy (file), or 3 for a hardcopy (printed). Example: 2",
    ),
    "clean_copy_delivery_invalid": (
        "Maaf, pilihan belum kami kenali. Ketik 1 untuk ambil langsung, 2 untuk pos, 3 untuk kurir, "
        "4 untuk email, atau 5 untuk dikirim lewat chat ini. Contoh: 4",
        "Sorry, we did not recognise that choice. Type 1 to pick it up, 2 for post, 3 for courier, "
        "4 for e-mail, or 5 to receive it in this chat. Example: 4",
    ),
    "choice_requester_type_perorangan": ("Perorangan", "Individual"),
    "choice_requester_type_badan_hukum": ("Badan hukum", "Legal entity"),
    "choice_requester_type_kelompok": ("Kelompok masyarakat", "Group"),
    "choice_filing_as_sendiri": ("Untuk diri sendiri", "For myself"),
    "choice_filing_as_kuasa": (
        "Mewakili orang lain (dengan surat kuasa)",
        "For someone else (power of attorney)",
    ),
    "choice_obtain_method_melihat": (
        "Melihat/membaca/mendengarkan/mencatat",
        "See/read/listen/take notes",
    ),
    "choice_obtain_method_salinan_softcopy": ("Salinan softcopy (file)", "Softcopy (file)"),
    "choice_obtain_method_salinan_hardcopy": ("Salinan hardcopy (cetak)", "Hardcopy (printed)"),
    "choice_copy_delivery_ambil_langsung": ("Ambil langsung", "Pick up in person"),
    "choice_copy_delivery_pos": ("Pos", "Post"),
    "choice_copy_delivery_kurir": ("Kurir / jasa pengiriman", "Courier"),
    "choice_copy_delivery_email": ("Email", "E-mail"),
    "choice_copy_delivery_chat": ("Lewat chat ini", "Through this chat"),
    # --- end form cleaners ---
    # --- domain labels ---
    "outcome_granted": ("Dikabulkan seluruhnya", "Granted in full"),
    "outcome_partly_granted": ("Dikabulkan sebagian", "Partly granted"),
    "outcome_refused": ("Ditolak", "Refused"),
    "outcome_not_held": ("Informasi tidak dikuasai (diteruskan)", "Not held (referred)"),
    "outcome_not_documented": ("Informasi belum didokumentasikan", "Not yet documented"),
    "pasal17_a": (
        "informasi yang dapat menghambat proses penegakan hukum",
        "information that would obstruct law enforcement",
    ),
    "pasal17_b": (
        "informasi yang dapat mengganggu perlindungan hak kekayaan intelektual dan persaingan usaha yang sehat",
        "information that would harm intellectual property rights or fair competition",
    ),
    "pasal17_c": (
        "informasi yang dapat membahayakan pertahanan dan keamanan negara",
        "information that would endanger national defence and security",
    ),
    "pasal17_d": (
        "informasi yang dapat mengungkapkan kekayaan alam Indonesia",
        "information that would reveal Indonesia's natural resources",
    ),
    "pasal17_e": (
        "informasi yang dapat merugikan ketahanan ekonomi nasional",
        "information that would harm national economic resilience",
    ),
    "pasal17_f": (
        "informasi yang dapat merugikan kepentingan hubungan luar negeri",
        "information that would harm foreign relations",
    ),
    "pasal17_g": (
        "isi akta otentik yang bersifat pribadi dan kemauan terakhir atau wasiat seseorang",
        "private authentic deeds and a person's last will",
    ),
    "pasal17_h": (
        "informasi yang dapat mengungkap rahasia pribadi",
        "information that would reveal personal secrets",
    ),
    "pasal17_i": (
        "memorandum atau surat antar/dalam badan publik yang menurut sifatnya dirahasiakan",
        "memoranda or letters between or within public bodies that are confidential by nature",
    ),
    "pasal17_j": (
        "informasi yang tidak boleh diungkapkan berdasarkan undang-undang",
        "information that another law forbids disclosing",
    ),
    "objection_ground_a": (
        "Permohonan Anda ditolak dengan alasan informasi dikecualikan (Pasal 17).",
        "Your request was refused because the information was declared exempt (Article 17).",
    ),
    "objection_ground_b": (
        "Informasi yang wajib diumumkan secara berkala tidak disediakan.",
        "Information that must be published periodically was not made available.",
    ),
    "objection_ground_c": (
        "Permohonan Anda tidak ditanggapi sama sekali.",
        "Your request received no response at all.",
    ),
    "objection_ground_d": (
        "Permohonan Anda ditanggapi, tetapi tidak sesuai dengan yang Anda minta.",
        "Your request was answered, but not with what you asked for.",
    ),
    "objection_ground_e": (
        "Permohonan Anda tidak dipenuhi.",
        "Your request was not fulfilled.",
    ),
    "objection_ground_f": (
        "Biaya yang dikenakan tidak wajar.",
        "The fees charged are unreasonable.",
    ),
    "objection_ground_g": (
        "Jawaban atas permohonan Anda melewati batas waktu yang diatur undang-undang.",
        "Your request was answered later than the deadline set by law.",
    ),
    "objection_example_a": (
        "Informasi yang saya minta tidak membahayakan kepentingan yang dilindungi Pasal 17, jadi tidak "
        "semestinya dikecualikan.",
        "The information I asked for harms none of the interests Article 17 protects, so it should not be "
        "exempt.",
    ),
    "objection_example_b": (
        "Laporan keuangan tahun 2024 belum diumumkan di situs resmi, padahal wajib diumumkan berkala.",
        "The 2024 financial report is still not on the official website, although it must be published "
        "periodically.",
    ),
    "objection_example_c": (
        "Sampai hari ini saya belum menerima jawaban atas permohonan saya.",
        "I have not received any answer to my request so far.",
    ),
    "objection_example_d": (
        "Saya meminta rincian anggaran per kegiatan, tetapi yang diberikan hanya jumlah totalnya.",
        "I asked for the budget of each activity, but received only the overall total.",
    ),
    "objection_example_e": (
        "Permohonan saya dikabulkan, tetapi salinan dokumennya tidak pernah saya terima.",
        "My request was granted, but I never received the copy of the document.",
    ),
    "objection_example_f": (
        "Saya diminta membayar Rp500.000 untuk salinan 20 halaman, jauh di atas biaya penggandaan.",
        "I was asked to pay Rp500,000 for a 20-page copy, far above the cost of copying.",
    ),
    "objection_example_g": (
        "Pemberitahuan tertulis baru saya terima 20 hari kerja setelah permohonan, melewati batas 10 hari "
        "kerja (atau 17 bila diperpanjang).",
        "The written notice came 20 working days after my request, beyond the limit of 10 working days "
        "(17 if extended).",
    ),
    # --- end domain labels ---
}
CATALOGUE.update(AREA_TEXTS)  # area subscriptions and RT/RW announcements (handlers.area_texts)


def pick(catalogue: Mapping[str, tuple[str, str]], key: str, lang: Lang, /, **values: object) -> str:
    """The text under ``key`` of a (Indonesian, English) catalogue in ``lang`` (Indonesian when
    no English is given), formatted with ``values``: every catalogue of the project reads this way."""
    indonesian, english = catalogue[key]
    template = english if lang is Lang.EN and english else indonesian
    return template.format(**values) if values else template


def t(key: str, lang: Lang = Lang.ID, /, **values: object) -> str:
    """The text under ``key`` in ``lang``, formatted with ``values``."""
    return pick(CATALOGUE, key, lang, **values)
