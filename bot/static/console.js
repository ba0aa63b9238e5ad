// Tanya PPID console: new messages of an open conversation appear without a reload.
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
