/* The room-code kiosk (templates/checkin/kiosk.html): shows the rotating QR code and six-digit code.

Polls the state URL (data-state-url) every few seconds and just after each rotation, and swaps the
QR code (SVG markup made by the server with segno), the code, the open session and the count.
When the class's feedback form opens, it reloads once so that the page shows the form's QR code.
When the server cannot be reached it keeps the last code on screen and shows a small note; the
next poll that succeeds removes it.
*/
(function () {
  "use strict";

  var POLL_MS = 2500;
  var root = document.getElementById("kiosk");
  if (!root || !window.fetch) return;

  var url = root.getAttribute("data-state-url");
  var qr = document.getElementById("kiosk-qr");
  var code = document.getElementById("kiosk-code");
  var session = document.getElementById("kiosk-session");
  var count = document.getElementById("kiosk-count");
  var expected = document.getElementById("kiosk-expected");
  var seconds = document.getElementById("kiosk-seconds");
  var note = document.getElementById("kiosk-offline");
  var fullscreen = document.getElementById("kiosk-fullscreen");
  var deadline = null;  // when the code on screen changes, by this computer's clock
  var timer = null;

  function setText(node, value) {
    if (node && value !== undefined && value !== null && node.textContent !== String(value)) {
      node.textContent = String(value);
    }
  }

  function showOffline(offline) {
    if (note) note.hidden = !offline;
    root.classList.toggle("kiosk-stale", offline);
  }

  function fit(svg) {
    // segno sizes the SVG in pixels; a viewBox instead lets CSS make it fill the screen.
    if (svg && !svg.hasAttribute("viewBox") && svg.getAttribute("width")) {
      svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
      svg.removeAttribute("width");
      svg.removeAttribute("height");
    }
  }

  function apply(state) {
    // A session opened or closed: the server draws the page with or without a code (it never sends a
    // code while check-in is closed).
    if (Boolean(state.code) !== (root.getAttribute("data-open") === "1")) {
      window.location.reload();
      return;
    }
    if (state.feedback_open === true && !document.getElementById("kiosk-feedback")) {
      window.location.reload();  // the class has ended: the server now adds the feedback form's QR
      return;
    }
    setText(count, state.checked_in);
    setText(expected, state.expected);
    if (!state.code) {
      deadline = null;
      return;
    }
    if (state.code !== code.textContent || !qr.firstElementChild) {
      qr.innerHTML = state.svg;  // our own server's segno output, no user text
      fit(qr.querySelector("svg"));
      setText(code, state.code);
    }
    setText(session, state.session || "Hiện không có buổi nào đang mở điểm danh.");
    setText(count, state.checked_in);
    setText(expected, state.expected);
    deadline = Date.now() + state.seconds_left * 1000;
    root.setAttribute("data-code", state.code);
  }

  function schedule() {
    clearTimeout(timer);
    var untilRotation = deadline ? deadline - Date.now() + 300 : POLL_MS;
    timer = setTimeout(poll, Math.max(300, Math.min(POLL_MS, untilRotation)));
  }

  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (state) {
        apply(state);
        showOffline(false);
      })
      .catch(function () {
        showOffline(true);  // keep the last code: the room may still use it for two more rotations
      })
      .then(schedule);
  }

  function tick() {
    if (seconds && deadline !== null) setText(seconds, Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
  }

  if (fullscreen && document.documentElement.requestFullscreen) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        root.requestFullscreen().catch(function () {});
      }
    });
  }

  if (qr) fit(qr.querySelector("svg"));
  var initial = parseInt(root.getAttribute("data-seconds-left") || "", 10);
  if (!isNaN(initial)) deadline = Date.now() + initial * 1000;
  setInterval(tick, 250);
  poll();
})();
