/* Tanya PPID web chat. Plain ES5, no framework, no build step.
 *
 * The session token lives in localStorage (memory when storage is blocked) and travels only in the
 * X-Tanya-Session header. Messages are sent one at a time, in order; a failed POST is retried with
 * the SAME client_id, so the server stores it once. Replies come from a long-poll (GET
 * api/web/messages?after=ID&wait=25) that reconnects with backoff; replies that arrive later, such as
 * an officer's answer, appear without a reload. Server text is only ever set with textContent.
 * A 429 is waited out for its Retry-After; a 401 (the session expired or was ended) starts a new
 * conversation ("Percakapan baru"), and "Percakapan baru" ends the old session on the server too.
 */
(function () {
  "use strict";

  var TEXT = {
    id: {
      restart: "Percakapan baru",
      close: "Tutup obrolan",
      log: "Percakapan",
      label: "Tulis pesan",
      placeholder: "Tulis pesan…",
      send: "Kirim",
      you: "Anda",
      bot: "Tanya PPID",
      officer: "Petugas PPID",
      choices: "Pilihan jawaban",
      sending: "Mengirim…",
      waiting: "Menunggu koneksi…",
      sent: "Terkirim",
      failed: "Tidak terkirim",
      offline: "Koneksi terputus. Pesan Anda akan dikirim otomatis saat tersambung kembali.",
      expired: "Sesi sebelumnya berakhir. Percakapan baru telah dimulai.",
      slow: "Mohon tunggu sebentar. Pesan Anda akan dikirim otomatis.",
      confirmRestart: "Mulai percakapan baru? Riwayat percakapan ini akan dihapus dari perangkat ini.",
      counter: "{n} dari {max} karakter",
      newTab: "(membuka tab baru)",
      attach: "Lampirkan foto atau PDF",
      fileRefused: "Berkas ini tidak dapat dikirim. Kirim foto (JPG, PNG, WebP) atau PDF paling besar 10 MB.",
      notice: "Pemberitahuan resmi",
      print: "Cetak",
      printLabel: "Cetak pemberitahuan ini",
      website: "Situs resmi",
      privacy: "Kebijakan privasi",
      links: "Tautan resmi"
    },
    en: {
      restart: "New conversation",
      close: "Close chat",
      log: "Conversation",
      label: "Write a message",
      placeholder: "Write a message…",
      send: "Send",
      you: "You",
      bot: "Tanya PPID",
      officer: "PPID officer",
      choices: "Answer options",
      sending: "Sending…",
      waiting: "Waiting for connection…",
      sent: "Sent",
      failed: "Not sent",
      offline: "Connection lost. Your messages will be sent automatically when it is back.",
      expired: "The previous session has ended. A new conversation has started.",
      slow: "Please wait a moment. Your message will be sent automatically.",
      confirmRestart: "Start a new conversation? This conversation will be removed from this device.",
      counter: "{n} of {max} characters",
      newTab: "(opens a new tab)",
      attach: "Attach a photo or PDF",
      fileRefused: "This file cannot be sent. Send a photo (JPG, PNG, WebP) or a PDF of at most 10 MB.",
      notice: "Official notice",
      print: "Print",
      printLabel: "Print this notice",
      website: "Official website",
      privacy: "Privacy notice",
      links: "Official links"
    }
  };
  var KEY_SESSION = "tanya.session";
  var KEY_MINE = "tanya.mine";
  var KEEP_MINE = 200; // own messages remembered for the history (the server keeps the replies)
  var GREETING_ID = "greeting"; // fixed client_id: the greeting is requested once per session
  var PAGE_SIZE = 100; // the server returns at most this many replies per GET
  var POLL_WAIT = 25; // seconds the server holds a long-poll
  var URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;
  // The form's attachment step takes what the other channels take (bot/channels/media.py).
  var FILE_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
  var FILE_MAX = 10 * 1024 * 1024;

  var doc = document;
  var params = new URLSearchParams(location.search);
  var lang = (params.get("lang") || doc.documentElement.lang || "id").slice(0, 2) === "en" ? "en" : "id";
  var embedded = params.get("embed") === "1" && window.parent !== window;
  var script = doc.currentScript || doc.querySelector("script[src*='chat.js']");
  var API = new URL("../api/web/", script.src).href;

  var app = doc.getElementById("app");
  var log = doc.getElementById("log");
  var form = doc.getElementById("composer");
  var input = doc.getElementById("text");
  var sendButton = doc.getElementById("send");
  var statusLine = doc.getElementById("status");
  var counter = doc.getElementById("counter");
  var fileInput = doc.getElementById("file");
  var attachButton = doc.getElementById("attach");
  var maxChars = parseInt(app.getAttribute("data-max-chars"), 10) || 2000;

  var parentOrigin = embedded ? originOf(location.ancestorOrigins && location.ancestorOrigins[0]) ||
    originOf(doc.referrer) : "";
  var store = makeStore();
  var session = null;
  var mine = [];
  var nodes = {}; // client_id -> the bubble of an own message
  var ready = false; // the history is on screen and the long-poll runs
  var loading = false;
  var cursor = 0; // highest reply id shown
  var shown = {}; // reply ids shown
  var epoch = 0; // bumped by "start over": late answers of the old conversation are ignored
  var online = true;
  var sessionPromise = null;
  var queue = []; // own messages not yet accepted by the server, oldest first
  var sending = false;
  var sendTimer = 0;
  var sendBackoff = backoff();
  var pollTimer = 0;
  var polling = false;
  var pollAbort = null;
  var pollBackoff = backoff();
  var lastTap = 0;
  var answerStart = null; // the first reply after the citizen's last message: kept in view
  var awaiting = true; // an answer is due (the greeting, or a reply to what was just sent)

  function t(key) {
    return TEXT[lang][key] || TEXT.id[key];
  }

  function originOf(url) {
    try {
      return url ? new URL(url).origin : "";
    } catch (e) {
      return "";
    }
  }

  function makeStore() {
    // localStorage when the browser allows it. A third-party frame often gets none (blocked
    // third-party storage): then the launcher (embed.js) keeps the two keys in the PPID website's
    // own storage, handed over by postMessage to that one origin only; else memory for this visit.
    var memory = {};
    var local = null;
    try {
      local = window.localStorage;
      local.setItem("tanya.probe", "1");
      local.removeItem("tanya.probe");
    } catch (e) {
      local = null;
    }
    var viaParent = !local && !!parentOrigin;
    function save(key, value) {
      if (viaParent) window.parent.postMessage({ type: "tanya:save", key: key, value: value }, parentOrigin);
    }
    return {
      viaParent: viaParent,
      get: function (key) {
        try {
          if (local) return local.getItem(key);
        } catch (e) { /* fall through */ }
        return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
      },
      set: function (key, value) {
        memory[key] = value;
        save(key, value);
        try {
          if (local) local.setItem(key, value);
        } catch (e) { /* quota or blocked: memory still has it */ }
      },
      remove: function (key) {
        delete memory[key];
        save(key, null);
        try {
          if (local) local.removeItem(key);
        } catch (e) { /* ignore */ }
      },
      restore: function (values) {
        for (var key in values) {
          if (Object.prototype.hasOwnProperty.call(values, key) && typeof values[key] === "string") {
            memory[key] = values[key];
          }
        }
      }
    };
  }

  function whenStored(then) {
    // Wait (briefly) for the launcher to hand back what it keeps for this frame.
    if (!store.viaParent) return then();
    var done = false;
    function finish(event) {
      if (done || (event && (event.source !== window.parent || event.origin !== parentOrigin ||
          !event.data || event.data.type !== "tanya:stored"))) return;
      done = true;
      window.removeEventListener("message", finish);
      if (event) store.restore(event.data.values || {});
      then();
    }
    window.addEventListener("message", finish);
    window.parent.postMessage({ type: "tanya:load" }, parentOrigin);
    setTimeout(finish, 1500);
  }

  function readMine() {
    try {
      var list = JSON.parse(store.get(KEY_MINE) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function saveMine() {
    if (mine.length > KEEP_MINE) mine = mine.slice(mine.length - KEEP_MINE);
    store.set(KEY_MINE, JSON.stringify(mine, function (key, value) {
      return key === "blob" ? undefined : value;
    }));
  }

  function backoff() {
    var attempt = 0;
    return {
      next: function () {
        var ceiling = Math.min(30000, 1000 * Math.pow(2, attempt));
        attempt += 1;
        return Math.round(ceiling * (0.5 + Math.random() / 2));
      },
      reset: function () {
        attempt = 0;
      }
    };
  }

  function newClientId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var out = "w";
    for (var i = 0; i < bytes.length; i++) out += ("0" + bytes[i].toString(16)).slice(-2);
    return out;
  }

  // --- network -------------------------------------------------------------------------------

  function request(method, path, body, timeoutMs, onAbort) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, timeoutMs) : 0;
    if (onAbort) onAbort(controller);
    var headers = { Accept: "application/json" };
    var isFile = window.Blob && body instanceof Blob;
    if (body) headers["Content-Type"] = isFile ? body.type : "application/json";
    if (session) headers["X-Tanya-Session"] = session;
    return fetch(API + path, {
      method: method,
      headers: headers,
      body: body ? (isFile ? body : JSON.stringify(body)) : undefined,
      cache: "no-store",
      credentials: "omit",
      signal: controller ? controller.signal : undefined
    }).then(
      function (response) { clearTimeout(timer); return response; },
      function (error) { clearTimeout(timer); throw error; }
    );
  }

  function retryDelay(response) {
    // Retry-After in seconds (what the server sends with 429), within 1 s .. 2 min; else null.
    var seconds = parseInt(response.headers.get("Retry-After") || "", 10);
    return isNaN(seconds) ? null : Math.min(Math.max(seconds, 1), 120) * 1000;
  }

  function slowDown(response) {
    var error = new Error("slow");
    error.retryMs = retryDelay(response) || 5000;
    return error;
  }

  function endSession(token) {
    // "Percakapan baru": the server closes the old conversation to this token for good.
    if (!token) return;
    try {
      fetch(API + "session", {
        method: "DELETE", headers: { "X-Tanya-Session": token }, credentials: "omit", keepalive: true
      }).catch(function () { /* best effort: the session expires anyway */ });
    } catch (e) { /* an old browser without keepalive: ignore */ }
  }

  function ensureSession() {
    if (session) return Promise.resolve(session);
    if (sessionPromise) return sessionPromise;
    var mark = epoch;
    var pending = request("POST", "session", null, 15000)
      .then(function (response) {
        if (response.status === 429) throw slowDown(response);
        if (!response.ok) throw new Error("session " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (mark !== epoch) throw new Error("stale"); // "start over" began another one meanwhile
        sessionPromise = null;
        session = data.session;
        store.set(KEY_SESSION, session);
        return session;
      }, function (error) {
        if (sessionPromise === pending) sessionPromise = null;
        throw error;
      });
    sessionPromise = pending;
    return pending;
  }

  function setOnline(value) {
    if (online === value) return;
    online = value;
    app.classList.toggle("offline", !value);
    statusLine.textContent = value ? "" : t("offline");
    for (var i = 0; i < queue.length; i++) markMine(queue[i], value ? "sending" : "waiting");
  }

  // --- receiving -----------------------------------------------------------------------------

  function fetchPage(wait) {
    var mark = epoch;
    return ensureSession()
      .then(function () {
        return request("GET", "messages?after=" + cursor + "&wait=" + wait, null, (wait + 10) * 1000,
          function (controller) { pollAbort = controller; });
      })
      .then(function (response) {
        if (mark !== epoch) throw new Error("stale");
        if (response.status === 401) {
          restart(t("expired"));
          throw new Error("stale");
        }
        if (response.status === 429) throw slowDown(response);
        if (!response.ok) throw new Error("poll " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (mark !== epoch) throw new Error("stale");
        return data.messages || [];
      });
  }

  function poll() {
    if (polling) return;
    polling = true;
    clearTimeout(pollTimer);
    var mark = epoch;
    fetchPage(POLL_WAIT).then(function (messages) {
      polling = false;
      setOnline(true);
      pollBackoff.reset();
      var follow = awaiting || nearBottom();
      for (var i = 0; i < messages.length; i++) showReply(messages[i], true);
      if (messages.length) {
        if (follow) revealAnswer();
        notifyParent("tanya:message");
      }
      poll();
    }, function (error) {
      if (mark !== epoch || (error && error.message === "stale")) return;
      polling = false;
      if (error && error.retryMs) {
        pollTimer = setTimeout(poll, error.retryMs); // asked to slow down: not offline
        return;
      }
      setOnline(false);
      pollTimer = setTimeout(poll, pollBackoff.next());
    });
  }

  function kick() {
    // The network came back or the page became visible: retry now instead of after the backoff.
    if (!ready) {
      clearTimeout(pollTimer);
      loadHistory();
      return;
    }
    if (!polling) poll();
    if (!sending && queue.length) {
      clearTimeout(sendTimer);
      flush();
    }
  }

  function loadHistory() {
    // Replies come from the server (GET after=0, page by page); own messages from this device.
    if (loading) return;
    loading = true;
    var mark = epoch;
    var replies = [];
    function more() {
      return fetchPage(0).then(function (batch) {
        for (var i = 0; i < batch.length; i++) {
          replies.push(batch[i]);
          cursor = Math.max(cursor, batch[i].id);
        }
        return batch.length >= PAGE_SIZE ? more() : replies;
      });
    }
    more().then(function (all) {
      if (mark !== epoch) return;
      loading = false;
      ready = true;
      cursor = 0;
      renderHistory(all);
      setOnline(true);
      for (var i = 0; i < mine.length; i++) {
        if (mine[i].state !== "sent" && mine[i].state !== "failed") queue.push(mine[i]);
      }
      if (!all.length && !mine.length) sendHidden(lang === "en" ? "/start en" : "/start", GREETING_ID);
      flush();
      poll();
    }, function (error) {
      if (mark !== epoch || (error && error.message === "stale")) return;
      loading = false;
      if (!(error && error.retryMs)) setOnline(false);
      pollTimer = setTimeout(loadHistory, (error && error.retryMs) || pollBackoff.next());
    });
  }

  function renderHistory(replies) {
    var items = [];
    var i;
    for (i = 0; i < replies.length; i++) items.push({ key: replies[i].id, order: 0, seq: i, reply: replies[i] });
    for (i = 0; i < mine.length; i++) {
      if (!mine[i].hidden) items.push({ key: mine[i].after, order: 1, seq: i, own: mine[i] });
    }
    items.sort(function (a, b) { return a.key - b.key || a.order - b.order || a.seq - b.seq; });
    log.setAttribute("aria-busy", "true");
    for (i = 0; i < items.length; i++) {
      if (items[i].reply) showReply(items[i].reply, false);
      else showMine(items[i].own);
    }
    log.removeAttribute("aria-busy");
    revealAnswer();
  }

  // --- rendering -----------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function safeHref(value) {
    try {
      var url = new URL(String(value), location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
    } catch (e) {
      return "";
    }
  }

  function linkTo(href, label) {
    var a = el("a", "", label);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.appendChild(el("span", "sr-only", " " + t("newTab")));
    return a;
  }

  function appendText(parent, text) {
    // Plain text with http(s) addresses turned into links; nothing is parsed as HTML.
    var last = 0;
    var match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text))) {
      var raw = match[0].replace(/[.,;:!?)\]]+$/, "");
      var href = safeHref(raw);
      if (!href) continue;
      parent.appendChild(doc.createTextNode(text.slice(last, match.index)));
      parent.appendChild(linkTo(href, raw));
      last = match.index + raw.length;
      URL_RE.lastIndex = last;
    }
    parent.appendChild(doc.createTextNode(text.slice(last)));
  }

  function clock(iso) {
    var date = new Date(iso);
    return isNaN(date.getTime()) ? "" : date.toLocaleTimeString(lang === "en" ? "en-GB" : "id-ID",
      { hour: "2-digit", minute: "2-digit" });
  }

  function timeOf(iso) {
    var text = clock(iso);
    if (!text) return null;
    var node = el("time", "meta", text);
    node.setAttribute("datetime", new Date(iso).toISOString());
    return node;
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 120;
  }

  function reveal(item, force) {
    if (log.getAttribute("aria-busy")) return;
    if (item.offsetHeight > log.clientHeight) item.scrollIntoView({ block: "start" });
    else if (force) log.scrollTop = log.scrollHeight;
  }

  function revealAnswer() {
    // Scroll to the end, but never past the start of the newest answer: on a small screen the
    // greeting, or the best match of a search, stays in view above the buttons that follow it.
    if (log.getAttribute("aria-busy")) return;
    var bottom = log.scrollHeight - log.clientHeight;
    if (!answerStart || !answerStart.parentNode) {
      log.scrollTop = bottom;
      return;
    }
    var top = log.scrollTop + answerStart.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
    log.scrollTop = Math.max(0, Math.min(bottom, top));
    awaiting = false;
  }

  function showReply(m, live) {
    var id = Number(m.id);
    if (!id || shown[id]) return;
    shown[id] = true;
    cursor = Math.max(cursor, id);
    var officer = m.kind === "officer";
    var legal = m.style === "notice";
    var item = el("li", "msg bot" + (officer ? " officer" : "") + (legal ? " legal" : ""));
    if (legal) {
      // A registration, a decision, a deadline: set apart like a letter, and printable alone.
      var head = el("div", "legal-head");
      head.appendChild(el("span", "who", t("notice")));
      var print = el("button", "print", t("print"));
      print.type = "button";
      print.setAttribute("aria-label", t("printLabel"));
      head.appendChild(print);
      item.appendChild(head);
    } else {
      item.appendChild(el("span", officer ? "who" : "who sr-only", t(officer ? "officer" : "bot")));
    }
    var body = el("p", "text");
    appendText(body, String(m.text || ""));
    if (body.textContent) item.appendChild(body);
    var href = m.link ? safeHref(m.link) : "";
    if (href) item.appendChild(el("p", "link")).appendChild(linkTo(href, href));
    if (m.choices && m.choices.length) item.appendChild(choiceGroup(m.choices));
    if (m.file && /^image\/(jpeg|png|webp)$/.test(String(m.file.type || ""))) item.appendChild(inlinePhoto(id, m.file));
    if (m.file) item.appendChild(fileButton(id, m.file));
    var time = timeOf(m.at);
    if (time) item.appendChild(time);
    log.appendChild(item);
    if (!answerStart) answerStart = item;
  }

  function fileButton(id, file) {
    // An officer's document: fetched with this session's header (no other chat can open it).
    var button = el("button", "file-link", "📄 " + String(file.name || "dokumen") + " (" + sizeText(Number(file.size) || 0) + ")");
    button.type = "button";
    button.setAttribute("data-file", String(id));
    button.addEventListener("click", function () {
      request("GET", "files/" + id, null, 120000).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.blob();
      }).then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = el("a", "", "");
        a.href = url;
        a.download = String(file.name || "dokumen");
        doc.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      }).catch(function () { button.disabled = false; });
    });
    return button;
  }

  function inlinePhoto(id, file) {
    // An announcement's photo, shown in the message: fetched with this session's header like a
    // download (no other chat can open it) and shown as a data: URL (the page's policy allows those).
    var img = el("img", "inline-photo", "");
    img.alt = String(file.name || "foto");
    request("GET", "files/" + id, null, 120000).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.blob();
    }).then(function (blob) {
      var reader = new FileReader();
      reader.onload = function () { img.src = String(reader.result); };
      reader.readAsDataURL(blob);
    }).catch(function () { img.remove(); });
    return img;
  }

  function printNotice(item) {
    // Print only this notice: the others and the chat's controls are hidden by the print style.
    item.classList.add("printing");
    doc.body.classList.add("print-one");
    var done = function () {
      item.classList.remove("printing");
      doc.body.classList.remove("print-one");
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
  }

  function choiceGroup(choices) {
    var group = el("div", "choices");
    for (var k = 0; k < choices.length; k++) {
      if (String(choices[k].label || "").length > 24) group.className = "choices stacked"; // one a line
    }
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t("choices"));
    for (var i = 0; i < choices.length; i++) {
      var label = String(choices[i].label || "");
      var payload = String(choices[i].payload || "");
      if (!label || !payload) continue;
      var button = el("button", "choice", label);
      button.type = "button";
      button.setAttribute("data-payload", payload);
      group.appendChild(button);
    }
    return group;
  }

  function showMine(entry) {
    answerStart = null; // the next reply starts a new answer
    var item = el("li", "msg me" + (entry.file ? " file" : ""));
    item.appendChild(el("span", "who sr-only", t("you")));
    var body = el("p", "text");
    appendText(body, entry.text);
    item.appendChild(body);
    var meta = el("span", "meta state");
    meta.setAttribute("aria-hidden", "true");
    item.appendChild(meta);
    log.appendChild(item);
    nodes[entry.id] = item;
    markMine(entry, entry.state);
    return item;
  }

  function markMine(entry, state) {
    entry.state = state;
    var node = nodes[entry.id];
    if (!node) return;
    node.setAttribute("data-state", state);
    var meta = node.querySelector(".state");
    meta.textContent = clock(entry.at) + (state === "sent" ? " ✓" : " · " + t(state));
    meta.title = t(state);
  }

  // --- sending -------------------------------------------------------------------------------

  function send(text, choice, blob) {
    var entry = {
      id: newClientId(), text: text, choice: choice || "", after: cursor,
      at: new Date().toISOString(), state: online ? "sending" : "waiting"
    };
    if (blob) {
      entry.file = true;
      entry.blob = blob; // memory only: a file waiting when the page is closed is not resent
    }
    awaiting = true;
    mine.push(entry);
    saveMine();
    reveal(showMine(entry), true);
    queue.push(entry);
    flush();
  }

  function sendHidden(text, clientId) {
    // A message the user did not type (the greeting request): sent, never shown.
    var entry = { id: clientId, text: text, choice: "", after: cursor, state: "sending", hidden: true };
    mine.push(entry);
    saveMine();
    queue.push(entry);
  }

  function flush() {
    if (sending || !queue.length) return;
    sending = true;
    var mark = epoch;
    var entry = queue[0];
    if (entry.file && !entry.blob) { // written before a reload: the file itself is gone
      queue.shift();
      markMine(entry, "failed");
      saveMine();
      sending = false;
      flush();
      return;
    }
    ensureSession()
      .then(function () {
        if (entry.file) {
          return request("POST", "files?client_id=" + encodeURIComponent(entry.id), entry.blob, 120000);
        }
        return request("POST", "messages", { text: entry.text, choice: entry.choice, client_id: entry.id }, 20000);
      })
      .then(function (response) {
        if (mark !== epoch) return;
        sending = false;
        if (response.status === 401) {
          restart(t("expired"));
          return;
        }
        if (response.status === 429) throw slowDown(response);
        if (response.status >= 500 || response.status === 408) {
          throw new Error("send " + response.status);
        }
        queue.shift();
        markMine(entry, response.ok ? "sent" : "failed"); // another 4xx: retrying cannot help
        saveMine();
        sendBackoff.reset();
        setOnline(true);
        flush();
      })
      .catch(function (error) {
        if (mark !== epoch) return;
        sending = false;
        markMine(entry, "waiting");
        if (error && error.retryMs) { // too many messages: wait as asked, politely
          statusLine.textContent = t("slow");
          sendTimer = setTimeout(function () {
            if (statusLine.textContent === t("slow")) statusLine.textContent = "";
            flush();
          }, error.retryMs);
          return;
        }
        setOnline(false);
        sendTimer = setTimeout(flush, sendBackoff.next()); // the same client_id: stored once
      });
  }

  // --- start over ----------------------------------------------------------------------------

  function restart(notice, ended) {
    if (ended) endSession(session);
    epoch += 1;
    clearTimeout(pollTimer);
    clearTimeout(sendTimer);
    if (pollAbort) pollAbort.abort();
    polling = false;
    sending = false;
    ready = false;
    loading = false;
    queue = [];
    nodes = {};
    answerStart = null;
    awaiting = true;
    session = null;
    sessionPromise = null;
    mine = [];
    shown = {};
    cursor = 0;
    store.remove(KEY_SESSION);
    store.remove(KEY_MINE);
    while (log.firstChild) log.removeChild(log.firstChild);
    if (notice) log.appendChild(el("li", "notice", notice));
    loadHistory();
  }

  // --- composer ------------------------------------------------------------------------------

  function updateComposer() {
    var length = input.value.length;
    sendButton.disabled = !input.value.trim();
    counter.textContent = length > maxChars * 0.8
      ? t("counter").replace("{n}", length).replace("{max}", maxChars) : "";
    input.style.height = "";
    if (input.value) input.style.height = Math.min(Math.max(input.scrollHeight + 2, 44), 140) + "px";
  }

  function submit() {
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    updateComposer();
    send(text.slice(0, maxChars));
  }

  function sizeText(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function attach(file) {
    // The same checks as the server's, so a wrong file is refused here, before any upload.
    if (!file) return;
    if (FILE_TYPES.indexOf(file.type) < 0 || file.size <= 0 || file.size > FILE_MAX) {
      var item = el("li", "notice", t("fileRefused"));
      item.setAttribute("role", "alert");
      log.appendChild(item);
      log.scrollTop = log.scrollHeight;
      return;
    }
    send("📎 " + (file.name || "berkas") + " (" + sizeText(file.size) + ")", "", file);
  }

  function notifyParent(type) {
    if (embedded) window.parent.postMessage({ type: type }, "*"); // no content, only a nudge
  }

  function translate() {
    doc.documentElement.lang = lang;
    var nodes = doc.querySelectorAll("[data-t],[data-t-label],[data-t-placeholder],[data-t-title]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      if (node.getAttribute("data-t")) node.textContent = t(node.getAttribute("data-t"));
      if (node.getAttribute("data-t-label")) node.setAttribute("aria-label", t(node.getAttribute("data-t-label")));
      if (node.getAttribute("data-t-title")) node.title = t(node.getAttribute("data-t-title"));
      if (node.getAttribute("data-t-placeholder")) node.placeholder = t(node.getAttribute("data-t-placeholder"));
    }
  }

  translate();
  if (embedded) {
    doc.body.classList.add("embedded");
    var close = doc.getElementById("close");
    close.hidden = false;
    close.addEventListener("click", function () { notifyParent("tanya:close"); });
    window.addEventListener("message", function (event) {
      if (event.source !== window.parent || !event.data) return;
      if (event.data.type === "tanya:opened") {
        (window.matchMedia("(pointer: fine)").matches ? input : log).focus();
      }
    });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape") notifyParent("tanya:close");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
    input.focus();
  });
  input.addEventListener("input", updateComposer);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  attachButton.addEventListener("click", function () { fileInput.click(); });
  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    fileInput.value = "";
    attach(file);
  });
  log.addEventListener("click", function (event) {
    var print = event.target.closest ? event.target.closest("button.print") : null;
    if (print) {
      printNotice(print.closest("li"));
      return;
    }
    var button = event.target.closest ? event.target.closest("button.choice") : null;
    if (!button || Date.now() - lastTap < 800) return; // a double tap is one choice
    lastTap = Date.now();
    send(button.textContent, button.getAttribute("data-payload"));
  });
  doc.getElementById("restart").addEventListener("click", function () {
    if (window.confirm(t("confirmRestart"))) {
      restart("", true);
      log.focus();
    }
  });
  window.addEventListener("online", kick);
  window.addEventListener("offline", function () { setOnline(false); });
  doc.addEventListener("visibilitychange", function () {
    if (!doc.hidden) kick();
  });

  updateComposer();
  whenStored(function () {
    session = store.get(KEY_SESSION);
    mine = readMine();
    loadHistory();
  });
})();
