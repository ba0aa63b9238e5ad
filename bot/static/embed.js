/* Tanya PPID launcher for a PPID website. One tag adds a chat button; the chat opens in an iframe
 * served by the Tanya PPID server, so its API stays same-origin there (no CORS, no cookies):
 *
 *   <script src="https://tanya.example.go.id/static/embed.js" async
 *           data-lang="id" data-label="Tanya PPID" data-color="#0b5394" data-position="right"></script>
 *
 * Styles are set through CSSOM (allowed by a strict style-src). window.TanyaPPID.open()/.close().
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.TanyaPPID) return;

  function option(name, fallback) {
    return script.getAttribute("data-" + name) || fallback;
  }

  var chatUrl = new URL("../", new URL(script.src, location.href)); // src is <base>/static/embed.js
  var origin = chatUrl.origin;
  var english = option("lang", document.documentElement.lang || "id").slice(0, 2) === "en";
  chatUrl.searchParams.set("embed", "1");
  if (english) chatUrl.searchParams.set("lang", "en");
  var color = /^#[0-9a-fA-F]{3,8}$/.test(option("color", "")) ? option("color", "") : "#0b5394";
  var side = option("position", "right") === "left" ? "left" : "right";
  var title = english ? "Tanya PPID chat" : "Obrolan Tanya PPID";
  var small = window.matchMedia("(max-width: 600px)");
  var KEYS = { "tanya.session": true, "tanya.mine": true }; // what the frame may keep here
  var prefix = "tanya@" + origin + ":";
  var isOpen = false;
  var frame = null;

  function bubbleIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    css(svg, { verticalAlign: "-4px", marginRight: "8px" });
    return svg;
  }

  function css(node, styles) {
    for (var key in styles) {
      if (Object.prototype.hasOwnProperty.call(styles, key)) node.style[key] = styles[key];
    }
    return node;
  }

  var button = css(document.createElement("button"), {
    position: "fixed", bottom: "16px", zIndex: "2147483000",
    minHeight: "48px", padding: "0 18px", border: "0", borderRadius: "24px",
    background: color, color: "#fff", font: "600 16px/1.2 system-ui, sans-serif",
    boxShadow: "0 2px 10px rgba(0,0,0,.3)", cursor: "pointer"
  });
  button.style[side] = "16px";
  button.type = "button";
  button.appendChild(bubbleIcon());
  button.appendChild(document.createTextNode(option("label", english ? "Ask PPID" : "Tanya PPID")));
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-haspopup", "dialog");
  var badge = css(document.createElement("span"), {
    display: "none", marginLeft: "8px", width: "10px", height: "10px",
    borderRadius: "50%", background: "#f2a900", verticalAlign: "middle"
  });
  var badgeText = css(document.createElement("span"), {
    position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)"
  });
  badgeText.textContent = english ? "new message" : "ada pesan baru";
  badge.appendChild(badgeText);
  button.appendChild(badge);

  var panel = css(document.createElement("div"), {
    display: "none", position: "fixed", zIndex: "2147483001", overflow: "hidden",
    background: "#fff", boxShadow: "0 6px 28px rgba(0,0,0,.3)"
  });
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", title);

  function layout() {
    if (small.matches) {
      css(panel, { top: "0", bottom: "0", left: "0", right: "0", width: "100%", height: "100%", borderRadius: "0" });
    } else {
      css(panel, { top: "auto", bottom: "80px", left: "auto", right: "auto", width: "380px",
        height: "640px", maxHeight: "calc(100vh - 100px)", borderRadius: "12px" });
      panel.style[side] = "16px";
    }
    button.style.display = isOpen && small.matches ? "none" : "block";
  }

  function tell(type) {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage({ type: type }, origin);
  }

  function keep(key, value) {
    // The frame's own storage is blocked (third-party): keep its session in this site's storage.
    try {
      if (value === null) window.localStorage.removeItem(prefix + key);
      else window.localStorage.setItem(prefix + key, String(value));
    } catch (e) { /* storage blocked here too: the chat lasts for this visit */ }
  }

  function stored() {
    var values = {};
    for (var key in KEYS) {
      try {
        var value = window.localStorage.getItem(prefix + key);
        if (value !== null) values[key] = value;
      } catch (e) { /* nothing kept */ }
    }
    return values;
  }

  function open() {
    if (!frame) {
      frame = css(document.createElement("iframe"), { width: "100%", height: "100%", border: "0", display: "block" });
      frame.title = title;
      frame.src = chatUrl.href;
      frame.addEventListener("load", function () {
        if (isOpen) tell("tanya:opened");
      });
      panel.appendChild(frame);
    }
    isOpen = true;
    panel.style.display = "block";
    badge.style.display = "none";
    button.setAttribute("aria-expanded", "true");
    layout();
    frame.focus();
    tell("tanya:opened");
  }

  function close() {
    if (!isOpen) return;
    isOpen = false;
    panel.style.display = "none"; // the frame stays loaded: its long-poll keeps the badge up to date
    button.setAttribute("aria-expanded", "false");
    layout();
    button.focus();
  }

  button.addEventListener("click", function () {
    if (isOpen) close();
    else open();
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow || !event.data) return;
    var data = event.data;
    if (data.type === "tanya:close") close();
    if (data.type === "tanya:load") frame.contentWindow.postMessage({ type: "tanya:stored", values: stored() }, origin);
    if (data.type === "tanya:save" && KEYS[data.key] === true) keep(data.key, data.value);
    if (event.data.type === "tanya:message" && !isOpen) badge.style.display = "inline-block";
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });
  if (small.addEventListener) small.addEventListener("change", layout);

  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(button);
    layout();
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
  window.TanyaPPID = { open: open, close: close };
})();
