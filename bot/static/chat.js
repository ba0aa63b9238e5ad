// Tanya PPID web chat client: session in localStorage, POST to send, long-poll to receive.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var KEY = "tanya-session";
  var session = localStorage.getItem(KEY);
  var after = 0;

  function api(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (session) headers["X-Tanya-Session"] = session;
    return fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined });
  }

  function clientId() {
    return (Date.now().toString(36) + Math.random().toString(36).slice(2, 10)).replace(/[^a-z0-9]/g, "");
  }

  function bubble(who, text) {
    var li = document.createElement("li");
    li.className = "msg " + who;
    li.textContent = text;
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
    return li;
  }

  function showReply(m) {
    var li = bubble("bot", m.text);
    if (m.link) {
      var a = document.createElement("a");
      a.href = m.link; a.textContent = m.link; a.target = "_blank"; a.rel = "noopener";
      li.appendChild(document.createElement("br")); li.appendChild(a);
    }
    if (m.choices && m.choices.length) {
      var row = document.createElement("div");
      row.className = "choices";
      m.choices.forEach(function (c) {
        var b = document.createElement("button");
        b.type = "button"; b.textContent = c.label;
        b.addEventListener("click", function () { send(c.label, c.payload); });
        row.appendChild(b);
      });
      li.appendChild(row);
    }
  }

  function send(text, choice) {
    bubble("me", text);
    return api("POST", "/api/web/messages", { text: text, choice: choice || "", client_id: clientId() })
      .then(function (r) { if (!r.ok) bubble("error", "Maaf, pesan gagal terkirim. Silakan coba lagi."); })
      .catch(function () { bubble("error", "Koneksi terputus. Silakan coba lagi."); });
  }

  function poll() {
    api("GET", "/api/web/messages?after=" + after + "&wait=25")
      .then(function (r) { return r.json(); })
      .then(function (data) {
        data.messages.forEach(function (m) { after = Math.max(after, m.id); showReply(m); });
        poll();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  function start() {
    var ready = session ? Promise.resolve() :
      api("POST", "/api/web/session").then(function (r) { return r.json(); })
        .then(function (d) { session = d.session; localStorage.setItem(KEY, session); });
    ready.then(function () {
      poll();
      if (!localStorage.getItem(KEY + "-greeted")) {
        localStorage.setItem(KEY + "-greeted", "1");
        api("POST", "/api/web/messages", { text: "/start", client_id: clientId() });
      }
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  start();
})();
