/* The staff scanner (templates/checkin/scanner.html): camera → QR text → check-in, online or not.

Online, every scan is one POST to the check-in API and the server's answer is shown. When the
request cannot reach the server, the scan is judged against the roster snapshot kept in
IndexedDB (digests of the tickets, never the tickets), the answer is shown marked "(ngoại tuyến)",
and the scan is queued in IndexedDB with its own time, a nonce and this device's id. The queue is
sent when the browser says it is online again, every 15 seconds, and after any scan that reached
the server; the server answers each nonce once, so sending twice is harmless.

Every decoded code — from the camera, native BarcodeDetector or the vendored zxing-wasm one —
arrives as a `bdg:scan` CustomEvent on #scanner whose `detail` is the decoded text. Tests (and a
hardware scanner bridge, if ever needed) dispatch the same event:

    document.getElementById("scanner").dispatchEvent(new CustomEvent("bdg:scan", {detail: text}))

State for tests and the curious, on #scanner: data-roster="ready" once the roster is stored,
data-offline-ready="1" once the service worker has cached the page, data-queue="<n>".
*/

const REPEAT_MS = 5000;          // the same code seen again within this time of its last sighting is the same scan
                                 // (the server takes the same card, device and class within 5 s as one scan too)
const SCAN_INTERVAL_MS = 200;
const SYNC_INTERVAL_MS = 15000;
const ROSTER_REFRESH_MS = 60000;
const REQUEST_TIMEOUT_MS = 8000;
const BATCH_SIZE = 200;          // the API takes up to 500
const TIME_ZONE = "Asia/Ho_Chi_Minh";
const TOKEN_SHAPE = /^[A-Z2-7]{24}$/;
const ATTENDED = ["present", "late"];

const root = document.getElementById("scanner");
if (root) {
  main(root).catch((error) => console.error("scanner:", error));
}

// --- Small helpers -----------------------------------------------------------------------------

const timeFormat = new Intl.DateTimeFormat("vi-VN", {hour: "2-digit", minute: "2-digit", hourCycle: "h23",
                                                     timeZone: TIME_ZONE});

function localTime(value) {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? "" : timeFormat.format(date);
}

function fold(text) {
  // As bdgtrain.rules.names.fold: lower case, no diacritics, đ as d, single spaces.
  return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
    .toLowerCase().split(/\s+/).filter(Boolean).join(" ");
}

function tokenIn(text) {
  // As bdgtrain.rules.tokens.token_in: the token itself or the last segment of a URL ending in it.
  const last = text.trim().replace(/\/+$/, "").split("/").pop().split("?")[0].split("#")[0];
  return last.toUpperCase();
}

async function sha256hex(text) {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

function newNonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function deviceId() {
  // A stable id per browser, so that the scan log tells the organiser which phone scanned.
  let id = null;
  try { id = localStorage.getItem("bdg-scanner-device"); } catch (error) { /* private mode */ }
  if (!id) {
    id = "web-" + newNonce().slice(0, 8);
    try { localStorage.setItem("bdg-scanner-device", id); } catch (error) { /* kept for this page only */ }
  }
  return id;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// --- IndexedDB: the roster snapshot and the queue ------------------------------------------------

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("bdg-scanner", 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("rosters", {keyPath: "ref"});
      db.createObjectStore("queue", {keyPath: "nonce"});
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function idb(db, store, mode, work) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const result = work(tx.objectStore(store));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

// --- The page ----------------------------------------------------------------------------------

async function main(root) {
  const config = {
    classRef: root.dataset.classRef,
    checkinUrl: root.dataset.checkinUrl,
    batchUrl: root.dataset.batchUrl,
    rosterUrl: root.dataset.rosterUrl,
    workerUrl: root.dataset.workerUrl,
    csrf: root.dataset.csrf,
    device: deviceId(),
  };
  const ui = {
    status: document.getElementById("scanner-status"),
    queue: document.getElementById("scanner-queue"),
    answer: document.getElementById("scan-answer"),
    session: document.getElementById("scanner-session"),
    video: document.getElementById("scanner-video"),
    search: document.getElementById("roster-search"),
    matches: document.getElementById("roster-matches"),
  };
  root.hidden = false;
  const db = await openDb();
  const state = {roster: null, localMarks: {}, recent: new Map(), inFlight: new Set(), syncing: false};

  const scanner = new Scanner(config, ui, db, state, root);
  root.addEventListener("bdg:scan", (event) => scanner.onScan(String(event.detail ?? "")));
  document.addEventListener("pointerdown", () => sound.unlock(), {once: true});

  await scanner.loadStoredRoster();
  scanner.refreshRoster();
  scanner.showQueue();
  scanner.setupSearch();
  registerWorker(config.workerUrl, root);
  window.addEventListener("online", () => scanner.flushQueue());
  setInterval(() => scanner.flushQueue(), SYNC_INTERVAL_MS);
  setInterval(() => scanner.refreshRoster(), ROSTER_REFRESH_MS);
  setInterval(() => scanner.showSession(), 30000);
  scanner.flushQueue();
  startCamera(root, ui);
}

class Scanner {
  constructor(config, ui, db, state, root) {
    Object.assign(this, {config, ui, db, state, root});
  }

  // --- roster ---

  async loadStoredRoster() {
    const stored = await idb(this.db, "rosters", "readonly", (s) => s.get(this.config.classRef));
    if (stored) {
      this.state.roster = stored.snapshot;
      this.state.localMarks = stored.localMarks || {};
      this.root.dataset.roster = "ready";
      this.showSession();
    }
  }

  async refreshRoster() {
    try {
      const response = await fetchWithTimeout(this.config.rosterUrl, {headers: {Accept: "application/json"}});
      if (!response.ok) return;
      const snapshot = await response.json();
      const queued = await this.queuedItems();
      // Marks made offline stay until their scans have reached the server (the snapshot then has them).
      if (!queued.length) this.state.localMarks = {};
      this.state.roster = snapshot;
      await this.saveRoster();
      this.root.dataset.roster = "ready";
      this.showSession();
    } catch (error) {
      // offline: keep what is stored
    }
  }

  saveRoster() {
    const record = {ref: this.config.classRef, snapshot: this.state.roster, localMarks: this.state.localMarks,
                    savedAt: new Date().toISOString()};
    return idb(this.db, "rosters", "readwrite", (s) => s.put(record));
  }

  openSession(at) {
    const roster = this.state.roster;
    if (!roster) return null;
    const opens = roster.window.opens_minutes * 60000;
    const open = roster.sessions.filter((s) => !s.cancelled && Date.parse(s.starts_at) - opens <= at.getTime()
                                               && at.getTime() < Date.parse(s.ends_at));
    open.sort((a, b) => Date.parse(a.ends_at) - Date.parse(b.ends_at) || Date.parse(a.starts_at) - Date.parse(b.starts_at));
    return open[0] || null;
  }

  showSession() {
    if (!this.state.roster || !this.ui.session) return;
    const session = this.openSession(new Date());
    this.ui.session.textContent = session
      ? `Đang điểm danh: ${session.label}, ${localTime(session.starts_at)}–${localTime(session.ends_at)}`
      : "Hiện không có buổi nào đang mở điểm danh.";
  }

  markOf(person, sessionId) {
    const local = (this.state.localMarks[person.digest] || {})[sessionId];
    return local || (person.marks || {})[sessionId] || null;
  }

  async remember(digest, at, attendance, checkedInAt) {
    // Keep the roster's marks in step with what we know, so that an offline repeat says "already".
    if (!digest || !this.state.roster || !ATTENDED.includes(attendance)) return;
    const session = this.openSession(at);
    if (!session) return;
    const marks = this.state.localMarks[digest] || (this.state.localMarks[digest] = {});
    if (!marks[session.id]) marks[session.id] = {status: attendance, at: checkedInAt || at.toISOString()};
    await this.saveRoster();
  }

  /** The answer the server would most likely give, from the stored roster (as rules/checkin.py). */
  decideLocally(digest, at) {
    const roster = this.state.roster;
    if (!roster) {
      return {status: "pending", accepted: null,
              message: "Chưa tải được danh sách lớp: lượt quét đã được lưu và sẽ gửi khi có mạng."};
    }
    const person = roster.people.find((p) => p.digest === digest);
    if (!person) return {status: "not_on_list", accepted: false, message: "Không có tên trong danh sách lớp."};
    const who = {name: person.name, unit: person.unit};
    if (person.revoked) {
      return {...who, status: "revoked", accepted: false,
              message: "Vé đã bị thu hồi (người này đã được thay hoặc không tham gia)."};
    }
    if (roster.cancelled) return {...who, status: "cancelled", accepted: false, message: "Lớp đã bị hủy."};
    const session = this.openSession(at);
    if (!session) return {...who, status: "outside_window", accepted: false, message: "Chưa đến hoặc đã hết giờ điểm danh."};
    const mark = this.markOf(person, session.id);
    if (mark && ATTENDED.includes(mark.status)) {
      return {...who, status: "already", accepted: true, attendance: mark.status, checked_in_at: mark.at,
              message: mark.at ? `Đã điểm danh lúc ${localTime(mark.at)}.` : "Đã điểm danh trước đó."};
    }
    const late = at.getTime() > Date.parse(session.starts_at) + roster.window.late_after_minutes * 60000;
    return {...who, status: "checked_in", accepted: true, attendance: late ? "late" : "present",
            checked_in_at: at.toISOString(), message: "Đã điểm danh."};
  }

  // --- scans ---

  onScan(text) {
    text = text.trim();
    if (!text) return;
    const now = Date.now();
    // One card held up once is one scan: the camera decodes it five times a second for as long as it
    // is in view, so the same code counts again only after it has been out of view for REPEAT_MS
    // (every sighting moves the mark), and never while its first check-in is still on its way.
    // Every code seen within REPEAT_MS, with its last sighting: another card in between does not make
    // the first one new again.
    const recent = this.state.recent;
    const lastSeen = recent.get(text);
    recent.set(text, now);
    for (const [seen, at] of recent) if (now - at >= REPEAT_MS) recent.delete(seen);
    if ((lastSeen !== undefined && now - lastSeen < REPEAT_MS) || this.state.inFlight.has(text)) return;
    this.state.inFlight.add(text);
    this.checkIn({token: text}).catch((error) => console.error("scanner:", error))
      .finally(() => { this.state.inFlight.delete(text); });
  }

  onTap(digest) {
    this.checkIn({digest}).catch((error) => console.error("scanner:", error));
  }

  async checkIn(what) {
    const at = new Date();
    const nonce = newNonce();
    let digest = what.digest || null;
    if (what.token) {
      const token = tokenIn(what.token);
      digest = TOKEN_SHAPE.test(token) && crypto.subtle ? await sha256hex(token) : null;
    }
    const body = {...what, class: this.config.classRef, scanned_at: at.toISOString(), nonce,
                  device: this.config.device, source: "scanner"};
    let outcome;
    if (navigator.onLine !== false) outcome = await this.post(this.config.checkinUrl, body);
    if (outcome && outcome.ok) {
      showAnswer(this.ui.answer, outcome.data, false);
      await this.remember(digest, at, outcome.data.attendance, outcome.data.checked_in_at);
      this.flushQueue();
      return;
    }
    if (outcome && outcome.error) {
      showAnswer(this.ui.answer, {status: "error", accepted: false, message: outcome.error}, false);
      return;
    }
    // The server could not be reached: answer from the roster and queue the scan.
    if (what.token && !digest) {
      showAnswer(this.ui.answer, {status: "invalid_token", accepted: false, message: "Mã không hợp lệ."}, true);
      return;
    }
    const answer = this.decideLocally(digest, at);
    await this.enqueue({nonce, class: this.config.classRef, device: this.config.device, scanned_at: at.toISOString(),
                        ...(what.token ? {token: what.token} : {digest})});
    showAnswer(this.ui.answer, answer, true);
    if (answer.accepted) await this.remember(digest, at, answer.attendance, answer.checked_in_at);
  }

  /** POST JSON: {ok, data} for an answer, {error} for a refused request, undefined when unreachable. */
  async post(url, body, retried = false) {
    let response;
    try {
      response = await fetchWithTimeout(url, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: {"Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": this.config.csrf},
      });
    } catch (error) {
      return undefined;
    }
    if (response.ok) {
      try { return {ok: true, data: await response.json()}; } catch (error) { return undefined; }
    }
    if (response.status >= 500 || response.status === 429) return undefined;
    if (response.status === 400 && !retried && await this.refreshCsrf()) return this.post(url, body, true);
    let message = "Máy chủ từ chối yêu cầu.";
    try { message = (await response.json()).error.message || message; } catch (error) { /* not JSON */ }
    if (response.status === 401) message = "Phiên đăng nhập đã hết: hãy đăng nhập lại rồi quay lại trang này.";
    return {error: message, status: response.status};
  }

  async refreshCsrf() {
    // A page reloaded from the offline cache may carry an expired CSRF token: read a fresh one.
    try {
      const response = await fetchWithTimeout(location.pathname, {credentials: "same-origin", cache: "no-store"});
      if (!response.ok || response.redirected) return false;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("scanner")?.dataset.csrf;
      if (!fresh || fresh === this.config.csrf) return false;
      this.config.csrf = fresh;
      return true;
    } catch (error) {
      return false;
    }
  }

  // --- the queue ---

  async enqueue(item) {
    await idb(this.db, "queue", "readwrite", (s) => s.put({...item, queued_at: new Date().toISOString()}));
    await this.showQueue();
  }

  queuedItems() {
    return idb(this.db, "queue", "readonly", (s) => s.getAll());
  }

  async dequeue(nonces) {
    if (!nonces.length) return;
    await idb(this.db, "queue", "readwrite", (s) => { nonces.forEach((n) => s.delete(n)); });
  }

  async showQueue() {
    const count = (await this.queuedItems()).length;
    this.root.dataset.queue = String(count);
    this.ui.queue.textContent = count
      ? `Chờ gửi lên máy chủ: ${count} lượt quét (ngoại tuyến).`
      : "";
    this.ui.queue.classList.toggle("scanner-queue-waiting", count > 0);
  }

  async flushQueue() {
    if (this.state.syncing || navigator.onLine === false) return;
    this.state.syncing = true;
    let sent = 0;
    try {
      const items = await this.queuedItems();
      for (const ref of new Set(items.map((i) => i.class))) {
        const mine = items.filter((i) => i.class === ref);
        const tokens = mine.filter((i) => i.token);
        for (let start = 0; start < tokens.length; start += BATCH_SIZE) {
          const chunk = tokens.slice(start, start + BATCH_SIZE);
          const outcome = await this.post(this.config.batchUrl, {
            class: ref, device: this.config.device,
            scans: chunk.map(({token, scanned_at, nonce, device}) => ({token, scanned_at, nonce, device}))});
          if (!outcome || !outcome.ok) return;
          const done = outcome.data.results.map((r) => r.nonce || (chunk[r.index] || {}).nonce).filter(Boolean);
          await this.dequeue(done);
          sent += done.length;
        }
        // Roster taps carry a digest, which only the single check-in takes.
        for (const item of mine.filter((i) => i.digest && !i.token)) {
          const outcome = await this.post(this.config.checkinUrl, {
            digest: item.digest, class: ref, scanned_at: item.scanned_at, nonce: item.nonce,
            device: item.device, source: "scanner"});
          if (!outcome || !outcome.ok) return;
          await this.dequeue([item.nonce]);
          sent += 1;
        }
      }
    } finally {
      this.state.syncing = false;
      await this.showQueue();
      if (sent) {
        this.ui.status.textContent = `Đã gửi ${sent} lượt quét lưu khi mất mạng.`;
        this.refreshRoster();
      }
    }
  }

  // --- roster search (works offline against the stored roster) ---

  setupSearch() {
    if (!this.ui.search || !this.ui.matches) return;
    const input = this.ui.search.querySelector("input[type=search]");
    const run = () => {
      if (!this.state.roster) return false;
      this.renderMatches(input.value);
      return true;
    };
    this.ui.search.addEventListener("submit", (event) => { if (run()) event.preventDefault(); });
    input.addEventListener("input", () => { if (input.value.trim().length >= 2) run(); });
  }

  renderMatches(query) {
    const q = fold(query);
    const list = this.ui.matches;
    list.replaceChildren();
    if (!q) return;
    const session = this.openSession(new Date());
    const words = q.split(" ");  // every word somewhere in the name or unit, in any order
    const found = this.state.roster.people.filter((p) => {
      const haystack = `${p.folded || fold(p.name)} ${fold(p.unit)}`;
      return words.every((word) => haystack.includes(word));
    }).slice(0, 30);
    if (!found.length) {
      list.append(element("li", null, `Không tìm thấy ai khớp “${query.trim()}”.`));
      return;
    }
    for (const person of found) {
      const item = element("li", "roster-match");
      const label = element("span");
      label.append(element("strong", null, person.name), ` — ${person.unit || ""}`);
      const mark = session ? this.markOf(person, session.id) : null;
      if (mark && ATTENDED.includes(mark.status)) label.append(` (đã điểm danh ${localTime(mark.at)})`);
      if (person.revoked) label.append(" (vé đã thu hồi)");
      const button = element("button", null, "Điểm danh");
      button.type = "button";
      button.addEventListener("click", () => {
        sound.unlock();
        this.onTap(person.digest);
        list.replaceChildren();
      });
      item.append(label, button);
      list.append(item);
    }
  }
}

async function fetchWithTimeout(url, options = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    return await fetch(url, {...options, signal: controller.signal});
  } finally {
    clearTimeout(timer);
  }
}

// --- The answer: big, coloured, with a sound ----------------------------------------------------

const VERDICTS = {checked_in: "Đã điểm danh", already: "Đã điểm danh trước đó", pending: "Đã lưu, chờ gửi"};

function showAnswer(container, data, offline) {
  const kind = data.accepted === null ? "scan-pending" : data.accepted ? "scan-ok" : "scan-refused";
  const section = element("section", `scan-result ${kind}`);
  section.setAttribute("role", "status");
  section.setAttribute("aria-live", "assertive");
  section.dataset.status = data.status;
  section.append(element("p", "scan-verdict", VERDICTS[data.status] || "Không điểm danh được"));
  if (data.name) section.append(element("p", "scan-name", data.name));
  if (data.unit) section.append(element("p", "scan-unit", data.unit));
  if (data.message) section.append(element("p", "scan-message", data.message));
  if (data.attendance === "late" && data.status === "checked_in") section.append(element("p", "scan-late", "Đến muộn"));
  if (offline) section.append(element("p", "scan-offline", "(ngoại tuyến)"));
  container.replaceChildren(section);
  sound.play(data.accepted !== false);
  if (navigator.vibrate) navigator.vibrate(data.accepted === false ? [120, 80, 120] : 60);
}

const sound = {
  context: null,
  unlock() {
    // Phones start audio only after a touch: make (or wake) the context on the first one.
    try {
      this.context = this.context || new (window.AudioContext || window.webkitAudioContext)();
      if (this.context.state === "suspended") this.context.resume();
    } catch (error) { /* no audio */ }
  },
  play(ok) {
    if (!this.context) this.unlock();
    const ctx = this.context;
    if (!ctx || ctx.state !== "running") return;
    const tones = ok ? [[880, 0, 0.12]] : [[220, 0, 0.18], [220, 0.25, 0.18]];
    for (const [frequency, delay, length] of tones) {
      const oscillator = ctx.createOscillator();
      const gain = ctx.createGain();
      oscillator.type = ok ? "sine" : "square";
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(ctx.destination);
      oscillator.start(ctx.currentTime + delay);
      oscillator.stop(ctx.currentTime + delay + length);
    }
  },
};

// --- Camera and decoder --------------------------------------------------------------------------

async function makeDetector() {
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) return new window.BarcodeDetector({formats: ["qr_code"]});
    } catch (error) { /* fall through to the vendored decoder */ }
  }
  // barcode-detector + zxing-wasm from static/vendor; the .wasm must come from here, never a CDN.
  const module = await import(new URL("../vendor/barcode-detector/ponyfill.js", import.meta.url).href);
  const wasm = new URL("../vendor/zxing-wasm/zxing_reader.wasm", import.meta.url).href;
  module.prepareZXingModule({
    overrides: {locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasm : prefix + path)},
  });
  return new module.BarcodeDetector({formats: ["qr_code"]});
}

async function startCamera(root, ui) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    ui.status.textContent = window.isSecureContext
      ? "Trình duyệt này không dùng được máy ảnh. Hãy tìm theo tên ở dưới."
      : "Máy ảnh chỉ dùng được qua HTTPS. Hãy mở trang bằng địa chỉ https:// hoặc tìm theo tên ở dưới.";
    ui.video.hidden = true;
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false, video: {facingMode: {ideal: "environment"}, width: {ideal: 1280}, height: {ideal: 720}}});
  } catch (error) {
    ui.status.textContent = "Không mở được máy ảnh (chưa cho phép hoặc máy ảnh đang bận). Hãy tìm theo tên ở dưới.";
    ui.video.hidden = true;
    return;
  }
  ui.video.srcObject = stream;
  try { await ui.video.play(); } catch (error) { /* autoplay of a muted video is allowed; ignore */ }
  let detector;
  try {
    detector = await makeDetector();
  } catch (error) {
    console.error("scanner: no decoder", error);
    ui.status.textContent = "Không tải được bộ đọc mã QR. Hãy tìm theo tên ở dưới.";
    return;
  }
  ui.status.textContent = "Đưa mã QR trên giấy mời vào khung hình.";
  root.dataset.camera = "on";
  const tick = async () => {
    if (ui.video.readyState >= 2 && !document.hidden) {
      try {
        const codes = await detector.detect(ui.video);
        if (codes.length) root.dispatchEvent(new CustomEvent("bdg:scan", {detail: codes[0].rawValue}));
      } catch (error) { /* a frame that cannot be read: try the next */ }
    }
    setTimeout(tick, SCAN_INTERVAL_MS);
  };
  tick();
}

// --- Offline page: the service worker -------------------------------------------------------------

async function registerWorker(workerUrl, root) {
  if (!("serviceWorker" in navigator) || !workerUrl) return;
  try {
    await navigator.serviceWorker.register(workerUrl, {scope: "/"});
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker) return;
    const here = new URL(location.href);
    here.search = "";
    here.hash = "";
    const urls = [here.href, new URL(import.meta.url).href,
                  new URL("../vendor/barcode-detector/ponyfill.js", import.meta.url).href,
                  new URL("../vendor/barcode-detector/zxing-exported.js", import.meta.url).href,
                  new URL("../vendor/zxing-wasm/zxing_reader.wasm", import.meta.url).href,
                  ...Array.from(document.querySelectorAll("link[rel=stylesheet]"), (link) => link.href)];
    const answer = await new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.postMessage({type: "cache", urls}, [channel.port2]);
      setTimeout(() => resolve({ok: false}), 30000);
    });
    if (answer && answer.ok) root.dataset.offlineReady = "1";
  } catch (error) {
    console.warn("scanner: no offline page", error);
  }
}
