// Tanya PPID console: new messages of an open conversation appear without a reload; an upload's
// check shows its progress.
(function () {
  "use strict";
  var list = document.getElementById("lines");
  if (!list) { return; }
  var src = list.getAttribute("data-src");
  function refresh() {
    fetch(src, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.status === 200) { return response.text(); }
        if (response.redirected || response.status === 404) { window.location.reload(); }
        return null;
      })
      .then(function (html) {
        if (html === null || html === list.innerHTML) { return; }
        var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
        list.innerHTML = html; // server-rendered and escaped by the template
        if (atBottom) { list.scrollTop = list.scrollHeight; }
      })
      .catch(function () { /* offline for a moment: the next turn tries again */ });
  }
  window.setInterval(refresh, 3000);
})();

// An uploaded file being checked: its progress line is fetched every second, and the page
// reloads (to show the preview) once the server says the check has ended.
(function () {
  "use strict";
  var line = document.querySelector("[data-poll]");
  if (!line) { return; }
  var src = line.getAttribute("data-poll");
  function look() {
    fetch(src, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.status !== 200 || response.headers.get("X-Upload-Done")) {
          window.location.reload();
          return null;
        }
        return response.text();
      })
      .then(function (text) { if (text !== null) { line.textContent = text; } })
      .catch(function () { /* offline for a moment: the next turn tries again */ });
  }
  window.setInterval(look, 1000);
})();
