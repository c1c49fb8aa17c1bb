// The Grove dashboard: plain modern JavaScript, no libraries. Every name that comes from the cell (file names,
// plugin reasons, peers' labels, event data) is put on the page as text (textContent, attributes set one by one),
// never parsed as HTML.
"use strict";

const API = "/api/v1";
const MAX_LIST_PAGES = 20; // 20 × 1,000 files: the most one folder view reads
const PREVIEW_BYTES = 65536;
const PARALLEL_UPLOADS = 2;

const state = {csrf: null, folder: "", entries: [], view: null, fleet: null};
const THROUGHPUT_POLL_MS = 5000; // the Stats view re-reads the throughput this often while it is shown
const throughput = {timer: null};
const CHAT_PAGE = 1000; // messages per GET /chat/{cell} page
const CHAT_SHOWN = 500; // the newest messages a conversation keeps on the page
const CHAT_RECHECK_MS = 5000; // while a sent message is queued, its state is re-read this often
const chat = {cell: null, messages: [], lastId: 0, unread: new Map(), recheck: null, loading: null};

// ---------- small helpers ----------

const $ = id => document.getElementById(id);

/** Creates an element; attrs are set as properties or attributes, children appended as nodes or text. */
function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === "class") node.className = value;
        else if (key === "text") node.textContent = value;
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
        if (child !== null && child !== undefined) node.append(child);
    }
    return node;
}

function say(message) {
    $("status").textContent = message;
}

function showError(e) {
    const box = $("error");
    box.textContent = e instanceof Error ? e.message : String(e);
    box.hidden = false;
}

function clearError() {
    $("error").hidden = true;
    $("error").textContent = "";
}

function humanBytes(n) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return (unit === 0 ? value : value.toFixed(1)) + " " + units[unit];
}

function humanTime(iso) {
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString();
}

/** The API path of a file: each segment percent-encoded; a last segment "history"/"restore" escaped (docs/api.md). */
function filePath(path) {
    const segments = path.split("/").map(encodeURIComponent);
    const last = segments[segments.length - 1];
    if (last === "history" || last === "restore") {
        segments[segments.length - 1] = last.slice(0, -1) + "%" + last.charCodeAt(last.length - 1).toString(16);
    }
    return API + "/files/" + segments.join("/");
}

/** Calls the API with the session cookie (and the CSRF token on changes); throws an Error with the problem's detail. */
async function api(method, path, {body, headers = {}} = {}) {
    const init = {method, headers: {...headers}, credentials: "same-origin", cache: "no-store"};
    if (method !== "GET" && method !== "HEAD" && state.csrf) init.headers["X-CSRF-Token"] = state.csrf;
    if (body !== undefined) {
        init.headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (!response.ok) throw await problem(response);
    return response;
}

async function problem(response) {
    let detail = "HTTP " + response.status;
    try {
        const body = await response.json();
        if (body && body.detail) detail = body.detail;
    } catch (ignored) {
        // not a problem body: keep the status
    }
    const error = new Error(detail);
    error.status = response.status;
    return error;
}

// ---------- session ----------

async function start() {
    bindForms();
    try {
        const health = await (await fetch(API + "/health", {cache: "no-store"})).json();
        $("cell-id").textContent = (health.cellId.match(/.{1,7}/g) || []).slice(0, 2).join("-") + "…";
        $("cell-id").title = "Cell id " + health.cellId + " · Grove " + health.version;
    } catch (e) {
        showError(new Error("the cell does not answer: " + e.message));
    }
    const session = await (await api("GET", API + "/session")).json();
    if (!session.passwordSet) {
        showOnly("setup");
        $("setup-password").focus();
    } else if (!session.authenticated) {
        showOnly("login");
        $("login-password").focus();
    } else {
        loggedIn(session.csrfToken);
    }
}

function showOnly(id) {
    disconnectEvents();
    clearInterval(throughput.timer);
    throughput.timer = null;
    leaveChat();
    chat.unread.clear();
    renderUnread();
    for (const section of ["setup", "login"]) $(section).hidden = section !== id;
    for (const view of document.querySelectorAll(".view")) view.hidden = true;
    $("nav").hidden = true;
}

function loggedIn(csrf) {
    state.csrf = csrf;
    $("setup").hidden = true;
    $("login").hidden = true;
    $("nav").hidden = false;
    route();
    connectEvents();
}

function bindForms() {
    $("setup-form").addEventListener("submit", async event => {
        event.preventDefault();
        clearError();
        const password = $("setup-password").value;
        if (password !== $("setup-repeat").value) {
            showError(new Error("the two passwords differ"));
            return;
        }
        try {
            const session = await (await api("POST", API + "/session/setup", {body: {password}})).json();
            event.target.reset();
            say("Password set; you are logged in.");
            loggedIn(session.csrfToken);
        } catch (e) {
            showError(e);
        }
    });
    $("login-form").addEventListener("submit", async event => {
        event.preventDefault();
        clearError();
        try {
            const session = await (await api("POST", API + "/session/login",
                {body: {password: $("login-password").value}})).json();
            event.target.reset();
            say("Logged in.");
            loggedIn(session.csrfToken);
        } catch (e) {
            $("login-password").select();
            showError(e);
        }
    });
    $("logout").addEventListener("click", async () => {
        try {
            await api("POST", API + "/session/logout");
        } finally {
            state.csrf = null;
            say("Logged out.");
            showOnly("login");
        }
    });
    $("password-form").addEventListener("submit", async event => {
        event.preventDefault();
        clearError();
        const password = $("new-password").value;
        if (password !== $("new-repeat").value) {
            showError(new Error("the two new passwords differ"));
            return;
        }
        try {
            const session = await (await api("POST", API + "/session/password",
                {body: {current: $("current-password").value, password}})).json();
            state.csrf = session.csrfToken;
            event.target.reset();
            say("Password changed.");
        } catch (e) {
            showError(e);
        }
    });
    $("upload-input").addEventListener("change", event => {
        upload([...event.target.files]);
        event.target.value = "";
    });
    const drop = $("drop");
    drop.addEventListener("dragover", event => {
        event.preventDefault();
        drop.classList.add("over");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", event => {
        event.preventDefault();
        drop.classList.remove("over");
        upload([...event.dataTransfer.files]);
    });
    $("detail-close").addEventListener("click", closeDetail);
    bindFleetForms();
    bindSettingsForms();
    $("feed-detail-close").addEventListener("click", closeFeedDetail);
    $("chat-form").addEventListener("submit", sendChat);
    $("chat-text").addEventListener("keydown", event => {
        // Enter sends, Shift+Enter starts a new line (as in most chat programs).
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            $("chat-form").requestSubmit();
        }
    });
    window.addEventListener("hashchange", () => {
        if (state.csrf) route();
    });
}

/** When the session has ended (cell restarted, password changed elsewhere), go back to the login form. */
function handle(e) {
    if (e && e.status === 401) {
        state.csrf = null;
        showOnly("login");
        showError(new Error("your session has ended; log in again"));
        return;
    }
    showError(e);
}

// ---------- views ----------

function route() {
    const hash = decodeURIComponent(location.hash.slice(1));
    const [view, ...rest] = hash.split(":");
    const name = ["files", "feed", "shares", "chat", "fleet", "health", "bounty", "stats", "plugins", "settings"]
        .includes(view) ? view : "files";
    for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== "view-" + name;
    for (const link of document.querySelectorAll("#nav a")) {
        if (link.dataset.view === name) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
    }
    state.view = name;
    clearError();
    if (name !== "chat") leaveChat();
    if (name === "files") {
        state.folder = rest.join(":");
        closeDetail();
        loadFiles();
    } else if (name === "feed") {
        closeFeedDetail();
        loadFeed();
    } else if (name === "shares") {
        loadShares();
    } else if (name === "chat") {
        openChat(rest.join(":"));
    } else if (name === "bounty") {
        loadBounty();
    } else if (name === "fleet") {
        loadFleet();
    } else if (name === "health") {
        loadHealth();
    } else if (name === "stats") {
        loadStats();
    } else if (name === "plugins") {
        loadPlugins();
    } else if (name === "settings") {
        loadSettings();
    }
    clearInterval(throughput.timer);
    throughput.timer = name === "stats" ? setInterval(loadThroughput, THROUGHPUT_POLL_MS) : null;
}

function openFolder(folder) {
    location.hash = "files:" + encodeURIComponent(folder);
}

// ---------- files ----------

async function listFolder(prefix) {
    const files = [];
    let after = null;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const query = new URLSearchParams({prefix, limit: "1000"});
        if (after) query.set("after", after);
        const body = await (await api("GET", API + "/files?" + query)).json();
        files.push(...body.files);
        if (!body.next) return {files, complete: true};
        after = body.next;
    }
    return {files, complete: false};
}

async function loadFiles() {
    const prefix = state.folder ? state.folder + "/" : "";
    renderCrumbs();
    try {
        const {files, complete} = await listFolder(prefix);
        // A listing that comes back after another folder (or view) was opened must not draw over it.
        if (state.view !== "files" || (state.folder ? state.folder + "/" : "") !== prefix) return;
        const folders = new Map();
        const entries = [];
        for (const file of files) {
            const rest = file.path.slice(prefix.length);
            const slash = rest.indexOf("/");
            if (slash >= 0) {
                const name = rest.slice(0, slash);
                const folder = folders.get(name) || {name, count: 0, size: 0};
                folder.count++;
                folder.size += file.size;
                folders.set(name, folder);
            } else {
                entries.push({name: rest, file});
            }
        }
        renderFiles([...folders.values()].sort((a, b) => a.name.localeCompare(b.name)), entries);
        if (!complete) say("This folder holds more files than the dashboard lists at once; the first "
            + files.length + " are shown.");
    } catch (e) {
        handle(e);
    }
}

function renderCrumbs() {
    const list = $("crumbs");
    list.replaceChildren();
    const parts = state.folder ? state.folder.split("/") : [];
    list.append(el("li", {}, parts.length === 0
        ? el("span", {"aria-current": "location", text: "All files"})
        : el("a", {href: "#files:", text: "All files"})));
    parts.forEach((part, i) => {
        const folder = parts.slice(0, i + 1).join("/");
        list.append(el("li", {}, i === parts.length - 1
            ? el("span", {"aria-current": "location", text: part})
            : el("a", {href: "#files:" + encodeURIComponent(folder), text: part})));
    });
}

function renderFiles(folders, entries) {
    const rows = $("file-rows");
    rows.replaceChildren();
    for (const folder of folders) {
        const path = (state.folder ? state.folder + "/" : "") + folder.name;
        rows.append(el("tr", {class: "folder"},
            el("td", {"data-label": "Name"}, el("button", {type: "button", class: "link name folder-name",
                "aria-label": "Folder " + folder.name, onclick: () => openFolder(path)}, folder.name)),
            el("td", {"data-label": "Size", text: humanBytes(folder.size)}),
            el("td", {"data-label": "Modified", text: folder.count + (folder.count === 1 ? " file" : " files")}),
            el("td", {"data-label": "Actions"})));
    }
    for (const {name, file} of entries) {
        rows.append(el("tr", {class: "file", "data-path": file.path},
            el("td", {"data-label": "Name", class: "name"}, el("span", {class: "file-name", text: name})),
            el("td", {"data-label": "Size", text: humanBytes(file.size)}),
            el("td", {"data-label": "Modified", text: humanTime(file.mtime)}),
            el("td", {"data-label": "Actions"}, el("div", {class: "actions"},
                el("a", {href: filePath(file.path), download: name, class: "button", "aria-label": "Download " + name,
                    text: "Download"}),
                el("button", {type: "button", "aria-label": "Preview " + name, onclick: () => preview(file),
                    text: "Preview"}),
                el("button", {type: "button", "aria-label": "History of " + name, onclick: () => history(file.path),
                    text: "History"}),
                el("button", {type: "button", "aria-label": "Share " + name, onclick: () => shareForm(file.path),
                    text: "Share"}),
                el("button", {type: "button", class: "danger", "aria-label": "Delete " + name,
                    onclick: () => remove(file.path), text: "Delete"})))));
    }
    $("files-empty").hidden = folders.length + entries.length > 0;
}

function openDetail(title) {
    $("detail-title").textContent = title;
    $("detail-body").replaceChildren();
    $("detail").hidden = false;
    $("detail-close").focus();
    return $("detail-body");
}

function closeDetail() {
    $("detail").hidden = true;
    $("detail-body").replaceChildren();
}

function isText(mediaType) {
    return /^text\/|\/(json|xml|javascript|x-yaml|yaml|csv)\b/.test(mediaType || "");
}

async function preview(file) {
    const body = openDetail("Preview of " + file.path.split("/").pop());
    try {
        if ((file.mediaType || "").startsWith("image/")) {
            body.append(el("img", {src: filePath(file.path), alt: "Preview of " + file.path, class: "preview"}));
        } else if (isText(file.mediaType)) {
            const response = await api("GET", filePath(file.path), {headers: {Range: "bytes=0-" + (PREVIEW_BYTES - 1)}});
            const text = await response.text();
            body.append(el("pre", {class: "preview", text}));
            if (file.size > PREVIEW_BYTES) body.append(el("p", {text: "Only the first 64 KiB are shown."}));
        } else {
            body.append(el("p", {text: "No preview for " + (file.mediaType || "this kind of file") + "; download it instead."}));
        }
    } catch (e) {
        handle(e);
    }
}

async function history(path) {
    const body = openDetail("History of " + path.split("/").pop());
    try {
        const h = await (await api("GET", filePath(path) + "/history")).json();
        if (h.conflict) body.append(el("p", {class: "warning", text: "This file has concurrent versions (a conflict)."}));
        const rows = el("tbody", {id: "history-rows"});
        h.versions.forEach((v, i) => {
            const label = humanTime(v.changedAt);
            rows.append(el("tr", {"data-version": v.version},
                el("td", {"data-label": "Changed", text: label + (i === 0 ? " (current)" : "")}),
                el("td", {"data-label": "Size", text: v.deleted ? "deleted" : humanBytes(v.size)}),
                el("td", {"data-label": "Version", class: "mono", text: v.version.slice(0, 12)}),
                el("td", {"data-label": "Actions"}, el("div", {class: "actions"},
                    v.deleted ? null : el("a", {href: filePath(path) + "?version=" + v.version, class: "button",
                        download: path.split("/").pop(), "aria-label": "Download the version of " + label,
                        text: "Download"}),
                    i === 0 || v.deleted ? null : el("button", {type: "button", "aria-label": "Restore the version of " + label,
                        onclick: () => restore(path, v.version), text: "Restore"})))));
        });
        body.append(el("table", {},
            el("caption", {class: "visually-hidden", text: "Versions, newest first"}),
            el("thead", {}, el("tr", {},
                el("th", {scope: "col", text: "Changed"}), el("th", {scope: "col", text: "Size"}),
                el("th", {scope: "col", text: "Version"}), el("th", {scope: "col", text: "Actions"}))),
            rows));
    } catch (e) {
        handle(e);
    }
}

async function restore(path, version) {
    try {
        await api("POST", filePath(path) + "/restore?version=" + encodeURIComponent(version));
        say("Restored an older version of " + path + ".");
        await loadFiles();
        await history(path);
    } catch (e) {
        handle(e);
    }
}

async function remove(path) {
    if (!confirm("Delete " + path + "? Its history stays and it can be restored.")) return;
    try {
        await api("DELETE", filePath(path));
        say("Deleted " + path + ".");
        closeDetail();
        await loadFiles();
    } catch (e) {
        handle(e);
    }
}

// ---------- uploads ----------

async function upload(files) {
    if (files.length === 0) return;
    clearError();
    for (const done of document.querySelectorAll("#uploads li.done")) done.remove();
    const folder = state.folder;
    const queue = files.map(file => ({file, item: uploadItem(file)}));
    let failed = 0;
    const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
            try {
                await put(folder, next.file, next.item);
            } catch (e) {
                failed++;
                next.item.label.textContent = next.file.name + ": " + e.message;
                next.item.node.classList.add("failed");
            }
        }
    };
    await Promise.all(Array.from({length: Math.min(PARALLEL_UPLOADS, files.length)}, worker));
    say(failed === 0 ? "Uploaded " + files.length + (files.length === 1 ? " file." : " files.")
        : failed + " of " + files.length + " uploads failed.");
    if (state.view === "files" && state.folder === folder) await loadFiles();
}

function uploadItem(file) {
    const label = el("span", {text: file.name});
    const bar = el("progress", {max: String(Math.max(file.size, 1)), value: "0", "aria-label": "Uploading " + file.name});
    const node = el("li", {}, label, bar);
    $("uploads").append(node);
    return {node, label, bar};
}

/** PUTs one file with XMLHttpRequest, the one browser API that reports upload progress. */
function put(folder, file, item) {
    return new Promise((resolve, reject) => {
        const path = (folder ? folder + "/" : "") + file.name;
        const request = new XMLHttpRequest();
        request.open("PUT", filePath(path));
        request.setRequestHeader("X-CSRF-Token", state.csrf);
        request.setRequestHeader("X-Grove-Mtime", String(file.lastModified || Date.now()));
        if (file.type) request.setRequestHeader("Content-Type", file.type);
        request.upload.addEventListener("progress", event => {
            if (event.lengthComputable) item.bar.value = event.loaded;
        });
        request.addEventListener("load", () => {
            if (request.status >= 200 && request.status < 300) {
                item.bar.value = item.bar.max;
                item.node.classList.add("done");
                item.label.textContent = file.name + " ✓";
                resolve();
            } else {
                let detail = "HTTP " + request.status;
                try {
                    detail = JSON.parse(request.responseText).detail || detail;
                } catch (ignored) {
                    // keep the status
                }
                reject(new Error(detail));
            }
        });
        request.addEventListener("error", () => reject(new Error("the upload was interrupted")));
        request.send(file);
    });
}

// ---------- stats ----------

async function loadStats() {
    try {
        const s = await (await api("GET", API + "/stats")).json();
        const facts = [
            ["Files", s.files.toLocaleString()],
            ["Versions", s.versions.toLocaleString()],
            ["Size of all versions", humanBytes(s.logicalBytes)],
            ["Stored (after deduplication)", humanBytes(s.storedBytes)],
            ["Deduplication", s.dedupRatio.toFixed(2) + "×"],
            ["Chunks", s.chunks.toLocaleString()],
            ["Free space in the store", humanBytes(s.storeFreeBytes)],
        ];
        $("stats").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {text: k}), el("dd", {text: v})]));
        $("stats-chart").replaceChildren(chart([["All versions", s.logicalBytes], ["Stored", s.storedBytes]]));
    } catch (e) {
        handle(e);
    }
    loadThroughput();
}

// ---------- throughput (Stats) ----------

/**
 * Decision: the chart is polled every 5 s while the Stats view is open rather than pushed as events: the meter
 * changes with every transfer, and an event stream of counters would wake every open dashboard for a picture only
 * one view shows.
 */
async function loadThroughput() {
    if (!state.csrf || state.view !== "stats") return;
    try {
        const t = await getJson("/stats/throughput");
        if (state.view !== "stats") return;
        const step = t.bucketSeconds;
        const points = t.buckets.map(b => ({
            start: b.start, in: (b.uploaded + b.peerIn) / step, out: (b.downloaded + b.peerOut) / step}));
        const total = t.buckets.reduce((sum, b) => ({
            in: sum.in + b.uploaded + b.peerIn, out: sum.out + b.downloaded + b.peerOut,
            up: sum.up + b.uploaded, down: sum.down + b.downloaded}), {in: 0, out: 0, up: 0, down: 0});
        const last = points[points.length - 1] || {in: 0, out: 0};
        $("throughput-summary").textContent = total.in + total.out === 0
            ? "Nothing moved in the last hour."
            : "Last hour: " + humanBytes(total.in) + " in (" + humanBytes(total.up) + " uploaded), "
              + humanBytes(total.out) + " out (" + humanBytes(total.down) + " downloaded). Now: "
              + humanBytes(last.in) + "/s in, " + humanBytes(last.out) + "/s out.";
        $("throughput-chart").replaceChildren(areaChart(points));
    } catch (e) {
        handle(e);
    }
}

/** Two areas over time (in and out, bytes per second), with the figures as text for screen readers. */
function areaChart(points) {
    const width = 720, height = 180, top = 18, bottom = 20;
    const peak = Math.max(1, ...points.map(p => Math.max(p.in, p.out)));
    const x = i => (points.length < 2 ? 0 : i * width / (points.length - 1));
    const y = v => top + (height - top - bottom) * (1 - v / peak);
    const svg = svgNode("svg", {viewBox: "0 0 " + width + " " + height, role: "img", class: "chart throughput"});
    const title = svgNode("title", {});
    title.textContent = "Throughput over the last hour; peak " + humanBytes(peak) + "/s. "
        + $("throughput-summary").textContent;
    svg.append(title);
    svg.append(svgNode("line", {x1: 0, x2: width, y1: y(0), y2: y(0), class: "axis"}));
    for (const [key, cls] of [["in", "area-in"], ["out", "area-out"]]) {
        const line = points.map((p, i) => (i === 0 ? "M" : "L") + x(i).toFixed(1) + "," + y(p[key]).toFixed(1)).join(" ");
        svg.append(svgNode("path", {d: line + " L" + width + "," + y(0) + " L0," + y(0) + " Z", class: cls}));
    }
    const label = svgNode("text", {x: 0, y: 12});
    label.textContent = "peak " + humanBytes(peak) + "/s";
    const start = svgNode("text", {x: 0, y: height - 4});
    start.textContent = "1 hour ago";
    const end = svgNode("text", {x: width, y: height - 4, "text-anchor": "end"});
    end.textContent = "now";
    svg.append(label, start, end);
    return svg;
}

// ---------- settings ----------

/** A whole number of seconds as the shortest duration text the API takes back (90s, 5m, 2h, 7d). */
function durationText(seconds) {
    if (typeof seconds !== "number") return "–";
    if (!Number.isInteger(seconds)) return Math.round(seconds * 1000) + "ms";
    for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]]) {
        if (seconds > 0 && seconds % size === 0) return seconds / size + unit;
    }
    return seconds + "s";
}

async function loadSettings() {
    try {
        const [parameters, watched] = await Promise.all([getJson("/fleet/parameters"), getJson("/watch")]);
        if (state.view !== "settings") return;
        renderParameters(parameters);
        renderWatched(watched.folders);
    } catch (e) {
        handle(e);
    }
}

const PARAMETERS = [
    ["replicationFactor", "Copies of each file", "replication.factor", v => String(v)],
    ["syncIntervalSeconds", "Time between sync rounds", "sync.interval", durationText],
    ["healingGraceSeconds", "Offline time before re-replication", "healing.grace-period", durationText],
];

function renderParameters(p) {
    $("parameters-reason").textContent = p.reason;
    const facts = [];
    for (const [key, label, , format] of PARAMETERS) {
        const dd = el("dd", {id: "effective-" + key, text: format(p.effective[key])});
        if (key in p.localOverrides) dd.append(" ", badge("this cell's own setting"));
        facts.push(el("dt", {text: label}), dd);
    }
    if (p.inFleet) facts.push(el("dt", {text: "Roster version"}), el("dd", {text: String(p.rosterSeq)}));
    $("parameters-facts").replaceChildren(...facts);
    const overrides = PARAMETERS.filter(([key]) => key in p.localOverrides);
    $("parameters-overrides").hidden = overrides.length === 0;
    $("parameters-overrides").textContent = overrides.length === 0 ? "" :
        "This cell's configuration overrides the fleet here: " + overrides.map(([key, , config, format]) =>
            config + " = " + format(p.localOverrides[key]) + " (the fleet says " + format(p.fleet[key]) + ")")
            .join("; ") + ". Remove it from grove.yaml (or --set) to follow the fleet.";
    const form = $("parameters-form");
    form.hidden = !p.editable;
    // A redraw from a live event must not undo what the person is typing.
    if (!form.contains(document.activeElement)) {
        $("param-factor").value = p.fleet.replicationFactor;
        $("param-sync").value = durationText(p.fleet.syncIntervalSeconds);
        $("param-grace").value = durationText(p.fleet.healingGraceSeconds);
    }
}

function renderWatched(folders) {
    $("watch-empty").hidden = folders.length > 0;
    $("watch-rows").replaceChildren(...folders.map(f => el("tr", {"data-name": f.name},
        el("td", {"data-label": "Name in Grove"}, el("a", {href: "#files:" + encodeURIComponent(f.name), text: f.name})),
        el("td", {"data-label": "Directory", text: f.dir + (f.exists ? "" : " (missing)")}),
        el("td", {"data-label": "Set by", text: f.source === "config" ? "grove.yaml" : "Settings"}),
        el("td", {"data-label": "Actions"}, f.source === "config" ? el("span", {text: "read-only"})
            : el("button", {type: "button", "aria-label": "Stop watching " + f.name, text: "Stop watching",
                onclick: () => unwatch(f.name)})))));
}

async function unwatch(name) {
    if (!confirm("Stop watching " + name + "? What was stored from it stays.")) return;
    clearError();
    try {
        await api("DELETE", API + "/watch/" + encodeURIComponent(name));
        say("Stopped watching " + name + ".");
        loadSettings();
    } catch (e) {
        handle(e);
    }
}

function bindSettingsForms() {
    $("parameters-form").addEventListener("submit", async event => {
        event.preventDefault();
        clearError();
        try {
            const body = {replicationFactor: Number($("param-factor").value), syncInterval: $("param-sync").value.trim(),
                healingGrace: $("param-grace").value.trim()};
            const p = await (await api("PUT", API + "/fleet/parameters", {body})).json();
            document.activeElement.blur();
            renderParameters(p);
            say("Applied to the fleet (roster version " + p.rosterSeq + "); every cell follows within a gossip round.");
        } catch (e) {
            handle(e);
        }
    });
    $("watch-form").addEventListener("submit", async event => {
        event.preventDefault();
        clearError();
        try {
            const f = await (await api("POST", API + "/watch",
                {body: {name: $("watch-name").value.trim(), dir: $("watch-dir").value.trim()}})).json();
            event.target.reset();
            say("Watching " + f.dir + " as " + f.name + "; its files appear in Files as they are stored.");
            loadSettings();
        } catch (e) {
            handle(e);
        }
    });
}

/** A horizontal bar chart in SVG, with a text equivalent for screen readers. */
function chart(bars) {
    const ns = "http://www.w3.org/2000/svg";
    const max = Math.max(1, ...bars.map(([, v]) => v));
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 400 " + (bars.length * 50));
    svg.setAttribute("role", "img");
    svg.setAttribute("class", "chart");
    const title = document.createElementNS(ns, "title");
    title.textContent = bars.map(([k, v]) => k + ": " + humanBytes(v)).join(", ");
    svg.append(title);
    bars.forEach(([label, value], i) => {
        const rect = document.createElementNS(ns, "rect");
        rect.setAttribute("x", "0");
        rect.setAttribute("y", String(i * 50 + 22));
        rect.setAttribute("height", "20");
        rect.setAttribute("width", String(Math.max(1, 400 * value / max)));
        rect.setAttribute("class", "bar bar-" + i);
        const text = document.createElementNS(ns, "text");
        text.setAttribute("x", "0");
        text.setAttribute("y", String(i * 50 + 16));
        text.textContent = label + " · " + humanBytes(value);
        svg.append(rect, text);
    });
    return svg;
}

// ---------- plugins ----------

async function loadPlugins() {
    try {
        const plugins = await (await api("GET", API + "/plugins")).json();
        $("plugin-rows").replaceChildren(...plugins.map(p => el("tr", {class: "state-" + p.state},
            el("td", {"data-label": "Name", text: p.name}),
            el("td", {"data-label": "Version", text: p.version || "–"}),
            el("td", {"data-label": "Kind", text: p.kind}),
            el("td", {"data-label": "State", text: p.state}),
            el("td", {"data-label": "Reason", text: p.reason || ""}))));
    } catch (e) {
        handle(e);
    }
}

// ---------- live events (WebSocket /api/v1/events) ----------

/** Which events each view redraws on (by type prefix); any view redraws after a gap in the numbers. */
const VIEW_EVENTS = {
    files: ["file."],
    fleet: ["fleet.", "peer."],
    health: ["sync.", "fleet.", "file.", "peer."],
    stats: ["file.", "sync."],
    feed: ["share.", "fleet."],
    shares: ["share.", "fleet."],
    chat: ["fleet."],
    bounty: ["sync.", "fleet."],
    settings: ["fleet."],
};
const live = {socket: null, seq: null, delay: 1000, timer: null, redraw: null};

/** Opens the event stream; after a drop, reconnects with backoff (1 s doubling to 30 s) and asks for what it missed. */
function connectEvents() {
    if (!state.csrf || live.socket) return;
    clearTimeout(live.timer);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const query = live.seq === null ? "" : "?since=" + live.seq;
    const socket = new WebSocket(scheme + "//" + location.host + API + "/events" + query);
    live.socket = socket;
    socket.addEventListener("message", message => {
        let frame;
        try {
            frame = JSON.parse(message.data);
        } catch (ignored) {
            return;
        }
        if (!frame || typeof frame.seq !== "number" || typeof frame.type !== "string") return;
        if (frame.type === "events.open") {
            setLive(true);
            live.delay = 1000;
            const missed = live.seq !== null && (Boolean(frame.data && frame.data.gap) || frame.seq !== live.seq);
            live.seq = frame.seq;
            if (missed) redrawSoon();
            if (missed && state.view === "chat") loadMessages();
            return;
        }
        const gap = live.seq !== null && frame.seq > live.seq + 1;
        live.seq = Math.max(live.seq || 0, frame.seq);
        if (frame.type === "chat.message") chatArrived(frame.data);
        else if (frame.type === "chat.delivered") chatDelivered(frame.data);
        else if (frame.type === "sync.progress") syncProgress(frame.data);
        else if (frame.type === "sync.round") syncProgress(null);
        else if (gap && state.view === "chat") loadMessages();
        const wanted = VIEW_EVENTS[state.view] || [];
        if (gap || wanted.some(prefix => frame.type.startsWith(prefix))) redrawSoon();
    });
    socket.addEventListener("close", () => {
        if (live.socket !== socket) return;
        live.socket = null;
        setLive(false);
        if (state.csrf) {
            live.timer = setTimeout(connectEvents, live.delay);
            live.delay = Math.min(live.delay * 2, 30000);
        }
    });
}

/** Shows a running sync round's progress in Health (copies pushed, bytes moved); null hides it when the round ends. */
function syncProgress(data) {
    const line = $("sync-progress");
    if (!data || typeof data.pushed !== "number" || typeof data.bytes !== "number") {
        line.hidden = true;
        return;
    }
    line.textContent = "Sync round under way: " + data.pushed + " copies pushed, "
        + (data.bytes / 1048576).toFixed(1) + " MiB moved";
    line.hidden = false;
}

function disconnectEvents() {
    clearTimeout(live.timer);
    const socket = live.socket;
    live.socket = null;
    live.seq = null;
    if (socket) socket.close();
    setLive(false);
}

function setLive(on) {
    $("live").textContent = on ? "live" : "offline";
    $("live").classList.toggle("on", on);
}

/** Redraws the view shown, at most once per 300 ms however many events arrive. */
function redrawSoon() {
    if (live.redraw) return;
    live.redraw = setTimeout(() => {
        live.redraw = null;
        if (!state.csrf) return;
        if (state.view === "files" && $("detail").hidden) loadFiles();
        else if (state.view === "fleet") loadFleet();
        else if (state.view === "health") loadHealth();
        else if (state.view === "stats") loadStats();
        else if (state.view === "feed" && $("feed-detail").hidden) loadFeed();
        else if (state.view === "shares") loadShares();
        else if (state.view === "chat") refreshChatCells();
        else if (state.view === "bounty") loadBounty();
        else if (state.view === "settings") loadSettings();
    }, 300);
}

// ---------- fleet ----------

async function getJson(path) {
    return (await api("GET", API + path)).json();
}

function percent(ratio) {
    return typeof ratio === "number" ? Math.round(ratio * 100) + " %" : "–";
}

function badge(text) {
    return el("span", {class: "badge", text});
}

/** A cell's name for people: its label from the roster, else its short id. */
function cellName(id) {
    const members = (state.fleet && state.fleet.members) || [];
    const member = members.find(m => m.id === id);
    if (!member) return id.slice(0, 7) + "…";
    return (member.label || member.shortId) + (member.self ? " (this cell)" : "");
}

async function loadFleet() {
    try {
        const [fleet, peers, nearby] = await Promise.all([getJson("/fleet"), getJson("/peers"), getJson("/peers/nearby")]);
        state.fleet = fleet;
        $("fleet-start").hidden = fleet.inFleet;
        $("fleet-invite").hidden = !(fleet.inFleet && fleet.isLeader && fleet.role !== "revoked");
        if (!fleet.inFleet) {
            $("fleet-summary").textContent = "This cell is in no fleet yet: create one, or join one with an invite code.";
        } else {
            const leader = fleet.members.find(m => m.leader);
            $("fleet-summary").textContent = "Fleet \u201c" + fleet.name + "\u201d: " + fleet.members.length
                + (fleet.members.length === 1 ? " cell" : " cells") + ", " + fleet.parameters.replicationFactor
                + " copies of each file. " + (fleet.isLeader ? "This cell leads it."
                    : "Led by " + (leader ? leader.label || leader.shortId : "another cell") + ".")
                + (fleet.role === "revoked" ? " This cell has been revoked from it." : "");
        }
        const byId = new Map(peers.map(p => [p.id, p]));
        $("fleet-rows").replaceChildren(...(fleet.members || []).map(m => memberRow(m, byId.get(m.id), fleet)));
        $("nearby-empty").hidden = nearby.length > 0;
        $("nearby-rows").replaceChildren(...nearby.map(n => el("li", {},
            el("span", {class: "mono", text: n.shortId}), " · " + n.transport + " " + n.address
            + " · seen " + humanTime(n.seenAt))));
    } catch (e) {
        handle(e);
    }
}

function memberRow(m, peer, fleet) {
    const name = m.label || m.shortId;
    const route = peer && peer.routes && peer.routes.length > 0 ? peer.routes[0] : null;
    let status;
    if (m.self) status = el("span", {text: "this cell"});
    else if (!peer) status = el("span", {text: "unknown"});
    else status = el("span", {class: peer.up ? "up" : "down", text: peer.up ? "up" : "down",
        title: peer.lastSeen ? "last seen " + humanTime(peer.lastSeen) : "never reached"});
    const actions = el("div", {class: "actions"});
    if (fleet.isLeader && !m.self) {
        actions.append(el("button", {type: "button", "aria-pressed": m.favourite ? "true" : "false",
            "aria-label": (m.favourite ? "Remove " : "Make ") + name + (m.favourite ? " from favourites" : " a favourite"),
            text: m.favourite ? "Favourite" : "Make favourite", onclick: () => favourite(m, !m.favourite)}));
        actions.append(el("button", {type: "button", class: "danger", "aria-label": "Revoke " + name, text: "Revoke",
            onclick: () => revoke(m)}));
    }
    return el("tr", {"data-cell": m.id, class: m.self ? "self" : ""},
        el("td", {"data-label": "Cell"}, el("span", {class: "cell-name", text: name}), " ",
            el("span", {class: "mono cell-short", text: m.shortId})),
        el("td", {"data-label": "Role"}, m.role, m.leader ? badge("leader") : null, m.favourite ? badge("favourite") : null),
        el("td", {"data-label": "Status"}, status),
        el("td", {"data-label": "Best route", text: m.self ? "–" : route ? route.transport + " " + route.address : "none yet"}),
        el("td", {"data-label": "Latency", text: route && route.latencyMs != null ? route.latencyMs.toFixed(1) + " ms" : "–"}),
        el("td", {"data-label": "Throughput",
            text: route && route.throughputMBps != null ? route.throughputMBps.toFixed(1) + " MB/s" : "–"}),
        el("td", {"data-label": "Uptime 24 h / 7 d",
            text: m.self || !peer ? "–" : percent(peer.uptime24h) + " / " + percent(peer.uptime7d)}),
        el("td", {"data-label": "Actions"}, actions));
}

async function favourite(member, on) {
    try {
        await api(on ? "PUT" : "DELETE", API + "/peers/" + encodeURIComponent(member.id) + "/favourite");
        say((member.label || member.shortId) + (on ? " is a favourite: it gets copies first." : " is no longer a favourite."));
        await loadFleet();
    } catch (e) {
        handle(e);
    }
}

async function revoke(member) {
    const name = member.label || member.shortId;
    if (!confirm("Revoke " + name + "? It leaves the fleet, the fleet secret changes, and it needs a new invite to come back.")) {
        return;
    }
    try {
        await api("DELETE", API + "/fleet/members/" + encodeURIComponent(member.id));
        say(name + " has been revoked.");
        await loadFleet();
    } catch (e) {
        handle(e);
    }
}

function bindFleetForms() {
    $("fleet-create-form").addEventListener("submit", async event => {
        event.preventDefault();
        clearError();
        try {
            const fleet = await (await api("POST", API + "/fleet", {body: {name: $("fleet-name").value.trim(),
                replicationFactor: Number($("fleet-factor").value)}})).json();
            say("Fleet \u201c" + fleet.name + "\u201d created; invite your other cells below.");
            await loadFleet();
        } catch (e) {
            handle(e);
        }
    });
    $("fleet-join-form").addEventListener("submit", async event => {
        event.preventDefault();
        clearError();
        say("Joining\u2026");
        try {
            const fleet = await (await api("POST", API + "/fleet/join", {body: {code: $("join-code").value.trim()}})).json();
            event.target.reset();
            say("Joined the fleet \u201c" + fleet.name + "\u201d.");
            await loadFleet();
        } catch (e) {
            say("");
            handle(e);
        }
    });
    $("invite-form").addEventListener("submit", async event => {
        event.preventDefault();
        clearError();
        try {
            const invite = await (await api("POST", API + "/fleet/invites", {body: {role: $("invite-role").value,
                expires: $("invite-expires").value}})).json();
            $("invite-code").textContent = invite.code;
            $("invite-expiry").textContent = humanTime(invite.expiresAt);
            $("invite-qr").src = API + "/qr?text=" + encodeURIComponent(invite.code);
            $("invite-result").hidden = false;
            say("Invite created.");
        } catch (e) {
            handle(e);
        }
    });
    $("invite-copy").addEventListener("click", async () => {
        const code = $("invite-code").textContent;
        try {
            await navigator.clipboard.writeText(code);
            say("The invite code is on the clipboard.");
        } catch (e) {
            // No clipboard permission (e.g. plain HTTP on a LAN name): select it for Ctrl+C instead.
            const range = document.createRange();
            range.selectNodeContents($("invite-code"));
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            say("Press Ctrl+C to copy the selected code.");
        }
    });
}

// ---------- health ----------

async function loadHealth() {
    try {
        const [fleet, response, atRisk, sync, stats] = await Promise.all([getJson("/fleet"),
            api("GET", API + "/placement?limit=1000"), getJson("/placement/at-risk"), getJson("/sync"), getJson("/stats")]);
        state.fleet = fleet;
        const files = await response.json();
        const more = (response.headers.get("X-Grove-Next") || "") !== "";
        const safe = files.filter(f => !f.atRisk).length;
        $("health-donut").replaceChildren(donut(safe, files.length - safe));
        $("health-caption").textContent = safe + " of " + files.length + " files have all " + sync.factor
            + " copies; " + (files.length - safe) + " at risk.";
        const perCell = new Map();
        for (const member of fleet.members || [{id: fleet.cell}]) perCell.set(member.id, 0);
        for (const f of files) for (const h of f.holders) perCell.set(h, (perCell.get(h) || 0) + 1);
        $("health-cells").replaceChildren(bars([...perCell].map(([id, n]) => [cellName(id), n]),
            n => n + (n === 1 ? " file" : " files")));
        // Storage of this cell's data per cell: its own store, and what each peer holds of it (whole copies, shards).
        const stored = [[cellName(fleet.cell), stats.storedBytes],
            ...(sync.heldByPeers || []).map(p => [cellName(p.cell), p.bytes])];
        $("health-storage").replaceChildren(bars(stored, humanBytes));
        const facts = [
            ["Copies wanted", String(sync.factor)],
            ["Files fully replicated", safe + " of " + files.length + (more ? " (first 1,000 files)" : "")],
            ["Chunks at risk", String(atRisk.atRiskChunks)],
            ["Peers counting", String(sync.countingPeers.length)],
            ["Last sync round", sync.lastRound ? humanTime(sync.lastRound) + " (" + sync.roundMillis + " ms)" : "none yet"],
            ["Last round moved", sync.pushed + " pushed, " + sync.released + " released, " + sync.confirmed
                + " confirmed, " + sync.lost + " lost"],
            ["Held here for other cells", sync.heldForOthers + " chunks"],
            ["Audits in the last round", String(sync.audited)],
            ["Stored on this cell", humanBytes(stats.storedBytes)],
        ];
        if (sync.error) facts.push(["Last error", sync.error]);
        $("health-facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {text: k}), el("dd", {text: v})]));
        renderFolders(files);
        $("health-files").replaceChildren(...files.map(f => el("tr", {class: f.atRisk ? "at-risk" : "", "data-path": f.path},
            el("td", {"data-label": "File", class: "name", text: f.path}),
            el("td", {"data-label": "Copies", class: "copies", text: f.confirmed + " of " + f.target
                + (f.erasure ? "; shards " + f.shardsConfirmed + " of " + f.shardsTarget + " (" + f.erasure + ")" : "")
                + (f.offloadedChunks > 0 ? "; offloaded" : "")}),
            el("td", {"data-label": "Held by", text: f.holders.map(cellName).join(", ")}),
            el("td", {"data-label": "Chunks at risk", text: String(f.atRiskChunks)}))));
        $("health-more").hidden = !more;
        $("health-more").textContent = more ? "Only the first 1,000 files are shown." : "";
        const audits = sync.audits || [];
        $("health-audits").replaceChildren(...audits.map(a => el("tr", {class: a.trusted ? "" : "at-risk"},
            el("td", {"data-label": "Cell", class: "name", text: cellName(a.cell)}),
            el("td", {"data-label": "Passed", text: String(a.passed)}),
            el("td", {"data-label": "Failed", text: String(a.failed)}),
            el("td", {"data-label": "No answer", text: String(a.missing)}),
            el("td", {"data-label": "Reputation", text: Math.round(a.score * 100) + " %"
                + (a.trusted ? "" : " (not trusted as a holder)")}))));
        $("health-audits-empty").hidden = audits.length > 0;
        $("health-activity").replaceChildren(...(sync.recent.length === 0 ? [el("li", {text: "Nothing yet."})]
            : sync.recent.map(r => el("li", {}, el("time", {datetime: r.at, text: humanTime(r.at)}),
                " · " + r.kind + " · " + r.detail))));
    } catch (e) {
        handle(e);
    }
}

/** Files grouped by their folder (the path up to the last slash). */
function renderFolders(files) {
    const folders = new Map();
    for (const f of files) {
        const slash = f.path.lastIndexOf("/");
        const folder = slash < 0 ? "" : f.path.slice(0, slash);
        const entry = folders.get(folder) || {files: 0, atRisk: 0, fewest: Infinity, target: f.target};
        entry.files++;
        if (f.atRisk) entry.atRisk++;
        entry.fewest = Math.min(entry.fewest, f.confirmed);
        folders.set(folder, entry);
    }
    $("health-folders").replaceChildren(...[...folders].sort(([a], [b]) => a.localeCompare(b)).map(([folder, e]) =>
        el("tr", {class: e.atRisk > 0 ? "at-risk" : ""},
            el("td", {"data-label": "Folder", class: "name", text: folder === "" ? "(top level)" : folder}),
            el("td", {"data-label": "Files", text: String(e.files)}),
            el("td", {"data-label": "At risk", text: String(e.atRisk)}),
            el("td", {"data-label": "Fewest copies", text: e.fewest + " of " + e.target}))));
}

function svgNode(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    return node;
}

/** A donut of replicated against at-risk files, with its numbers as the image's text. */
function donut(safe, risky) {
    const total = safe + risky;
    const svg = svgNode("svg", {viewBox: "0 0 120 120", role: "img", class: "chart donut", width: 160, height: 160});
    const title = svgNode("title", {});
    title.textContent = total === 0 ? "No files yet" : safe + " files fully replicated, " + risky + " at risk";
    svg.append(title);
    const r = 50;
    const length = 2 * Math.PI * r;
    const ring = (cls, share, offset) => svgNode("circle", {cx: 60, cy: 60, r, fill: "none", "stroke-width": 16,
        class: cls, "stroke-dasharray": share * length + " " + length, "stroke-dashoffset": -offset * length,
        transform: "rotate(-90 60 60)"});
    if (total === 0) {
        svg.append(ring("none", 1, 0));
    } else {
        svg.append(ring("ok", safe / total, 0));
        if (risky > 0) svg.append(ring("risk", risky / total, safe / total));
    }
    const text = svgNode("text", {x: 60, y: 64});
    text.textContent = total === 0 ? "no files" : Math.round(100 * safe / total) + " % safe";
    svg.append(text);
    return svg;
}

/** Horizontal bars, each labelled; {@code format} writes a value for people. */
function bars(rows, format) {
    const max = Math.max(1, ...rows.map(([, v]) => v));
    const svg = svgNode("svg", {viewBox: "0 0 400 " + Math.max(50, rows.length * 50), role: "img", class: "chart"});
    const title = svgNode("title", {});
    title.textContent = rows.map(([k, v]) => k + ": " + format(v)).join(", ");
    svg.append(title);
    rows.forEach(([label, value], i) => {
        svg.append(svgNode("rect", {x: 0, y: i * 50 + 22, height: 20, width: Math.max(1, 400 * value / max),
            class: "bar bar-" + (i % 2)}));
        const text = svgNode("text", {x: 0, y: i * 50 + 16});
        text.textContent = label + " \u00b7 " + format(value);
        svg.append(text);
    });
    return svg;
}

// ---------- sharing: the Share form (Files), Feed and Shares ----------

/** A grant's expiry for people. */
function expiry(iso) {
    return iso ? humanTime(iso) : "never";
}

/** The members and friends a file can be shared with: every other cell of the current roster. */
function shareTargets(fleet) {
    return (fleet.members || []).filter(m => !m.self && m.role !== "revoked");
}

async function shareForm(path) {
    const name = path.split("/").pop();
    const body = openDetail("Share " + name);
    try {
        const fleet = await getJson("/fleet");
        state.fleet = fleet;
        const targets = fleet.inFleet ? shareTargets(fleet) : [];
        if (targets.length === 0) {
            body.append(el("p", {text: fleet.inFleet
                ? "No other cell is in the fleet yet: invite a member or a friend in Fleet first."
                : "This cell is in no fleet: create or join one in Fleet, then invite the friend to share with."}),
                el("a", {href: "#fleet", class: "button", text: "Open Fleet"}));
            return;
        }
        const select = el("select", {id: "share-with", required: true},
            ...targets.map(m => el("option", {value: m.id, text: (m.label || m.shortId) + " (" + m.role + ", "
                + m.shortId + ")"})));
        const expires = el("select", {id: "share-expires"},
            el("option", {value: "", text: "Never"}), el("option", {value: "1h", text: "1 hour"}),
            el("option", {value: "24h", text: "24 hours"}), el("option", {value: "7d", text: "7 days", selected: true}),
            el("option", {value: "30d", text: "30 days"}), el("option", {value: "365d", text: "1 year"}));
        const latest = el("input", {id: "share-latest", type: "checkbox", checked: true});
        const form = el("form", {id: "share-form"},
            el("p", {}, "Share ", el("strong", {class: "name", text: path}),
                " so that the chosen cell can read it. Its owner (this cell) keeps serving it until you revoke the share."),
            el("label", {for: "share-with", text: "Share with"}), select,
            el("label", {for: "share-expires", text: "Valid for"}), expires,
            el("div", {class: "check"}, latest, el("label", {for: "share-latest",
                text: "Follow new versions (otherwise only the current version)"})),
            el("button", {type: "submit", text: "Share"}));
        form.addEventListener("submit", async event => {
            event.preventDefault();
            clearError();
            const submit = form.querySelector("button[type=submit]");
            submit.disabled = true;
            say("Sharing " + name + "\u2026");
            try {
                const request = {path, with: select.value, latest: latest.checked};
                if (expires.value) request.expires = expires.value;
                const grant = await (await api("POST", API + "/shares", {body: request})).json();
                say("Shared " + grant.path + " with " + cellName(grant.to) + ".");
                closeDetail();
            } catch (e) {
                say("");
                handle(e);
            } finally {
                submit.disabled = false;
            }
        });
        body.append(form);
        select.focus();
    } catch (e) {
        handle(e);
    }
}

function feedContent(grant) {
    return API + "/feed/" + encodeURIComponent(grant.id) + "/content";
}

async function loadFeed() {
    try {
        const [fleet, grants] = await Promise.all([getJson("/fleet"), getJson("/feed?limit=1000")]);
        state.fleet = fleet;
        $("feed-rows").replaceChildren(...grants.map(g => {
            const name = g.path.split("/").pop();
            return el("tr", {"data-grant": g.id, class: g.status === "active" ? "" : "inactive"},
                el("td", {"data-label": "File", class: "name"}, el("span", {class: "feed-path", text: g.path})),
                el("td", {"data-label": "From", text: cellName(g.from)}),
                el("td", {"data-label": "Shared", text: humanTime(g.createdAt)}),
                el("td", {"data-label": "Expires", text: expiry(g.expiresAt)}),
                el("td", {"data-label": "Actions"}, el("div", {class: "actions"},
                    el("a", {href: feedContent(g), download: name, class: "button", "aria-label": "Download " + name,
                        text: "Download"}),
                    el("button", {type: "button", "aria-label": "Preview " + name, onclick: () => previewShared(g),
                        text: "Preview"}))));
        }));
        $("feed-empty").hidden = grants.length > 0;
        $("feed-rows").closest("table").hidden = grants.length === 0;
    } catch (e) {
        handle(e);
    }
}

function closeFeedDetail() {
    $("feed-detail").hidden = true;
    $("feed-detail-body").replaceChildren();
}

/** Previews a shared file: its media type is known only from the owner's answer, so the body is read, then cut short. */
async function previewShared(grant) {
    const body = $("feed-detail-body");
    $("feed-detail-title").textContent = "Preview of " + grant.path.split("/").pop();
    body.replaceChildren(el("p", {text: "Reading from the owner\u2026"}));
    $("feed-detail").hidden = false;
    $("feed-detail-close").focus();
    try {
        const response = await api("GET", feedContent(grant));
        const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
        const size = Number(response.headers.get("Content-Length") || "0");
        if (type.startsWith("image/")) {
            await response.body.cancel();
            body.replaceChildren(el("img", {src: feedContent(grant), alt: "Preview of " + grant.path, class: "preview"}));
        } else if (isText(type)) {
            const reader = response.body.getReader();
            const parts = [];
            let read = 0;
            for (let i = 0; i < 10000 && read < PREVIEW_BYTES; i++) {
                const {done, value} = await reader.read();
                if (done) break;
                parts.push(value);
                read += value.length;
            }
            await reader.cancel();
            const bytes = new Uint8Array(Math.min(read, PREVIEW_BYTES));
            let at = 0;
            for (const part of parts) {
                const take = Math.min(part.length, bytes.length - at);
                bytes.set(part.subarray(0, take), at);
                at += take;
            }
            body.replaceChildren(el("pre", {class: "preview", text: new TextDecoder().decode(bytes)}));
            if (size > PREVIEW_BYTES || read > PREVIEW_BYTES) body.append(el("p", {text: "Only the first 64 KiB are shown."}));
        } else {
            await response.body.cancel();
            body.replaceChildren(el("p", {text: "No preview for " + (type || "this kind of file") + "; download it instead."}));
        }
    } catch (e) {
        body.replaceChildren();
        handle(e);
        if (e.status === 404 || e.status === 403) loadFeed();
    }
}

async function loadShares() {
    try {
        const [fleet, grants] = await Promise.all([getJson("/fleet"), getJson("/shares?limit=1000")]);
        state.fleet = fleet;
        $("share-rows").replaceChildren(...grants.map(g => {
            const name = g.path.split("/").pop();
            return el("tr", {"data-grant": g.id, class: g.status === "active" ? "" : "inactive"},
                el("td", {"data-label": "File", class: "name", text: g.path}),
                el("td", {"data-label": "With", text: cellName(g.to)}),
                el("td", {"data-label": "Version", text: g.latest ? "follows new versions" : "this version only"}),
                el("td", {"data-label": "Shared", text: humanTime(g.createdAt)}),
                el("td", {"data-label": "Expires", text: expiry(g.expiresAt)}),
                el("td", {"data-label": "Status", class: "share-status status-" + g.status, text: g.status}),
                el("td", {"data-label": "Actions"}, g.status !== "active" ? null : el("button", {type: "button",
                    class: "danger", "aria-label": "Revoke the share of " + name + " with " + cellName(g.to),
                    text: "Revoke", onclick: () => revokeShare(g)})));
        }));
        $("shares-empty").hidden = grants.length > 0;
        $("share-rows").closest("table").hidden = grants.length === 0;
    } catch (e) {
        handle(e);
    }
}

async function revokeShare(grant) {
    const who = cellName(grant.to);
    if (!confirm("Stop sharing " + grant.path + " with " + who + "? It can no longer read the file, and future versions"
        + " get a new key.")) {
        return;
    }
    try {
        const revoked = await (await api("DELETE", API + "/shares/" + encodeURIComponent(grant.id))).json();
        say("Stopped sharing " + grant.path + " with " + who + (revoked.recipientTold
            ? "." : "; it was unreachable and will learn it when it next asks for the file."));
        await loadShares();
    } catch (e) {
        handle(e);
    }
}

// ---------- chat ----------

/** The other cells of the fleet, each a conversation; unread counts come from chat.message events. */
async function openChat(cell) {
    leaveChat();
    try {
        const fleet = await getJson("/fleet");
        state.fleet = fleet;
        const others = fleet.inFleet ? shareTargets(fleet) : [];
        $("chat-summary").textContent = !fleet.inFleet
            ? "This cell is in no fleet: chat is between cells of one fleet. Create or join one in Fleet."
            : others.length === 0 ? "No other cell is in the fleet yet: invite one in Fleet to chat with it."
                : "Messages are end-to-end encrypted between two cells; a message to a cell that is offline waits"
                + " here (queued) and is delivered when it is back.";
        const chosen = others.find(m => m.id === cell) || (others.length === 1 ? others[0] : null);
        chat.cell = chosen ? chosen.id : null;
        renderChatCells();
        $("chat-conversation").hidden = !chosen;
        if (chosen) {
            $("conversation-title").textContent = "With " + cellName(chosen.id);
            chat.unread.delete(chosen.id);
            renderUnread();
            await loadMessages();
        }
    } catch (e) {
        handle(e);
    }
}

function leaveChat() {
    clearTimeout(chat.recheck);
    chat.recheck = null;
    chat.cell = null;
    chat.messages = [];
    chat.lastId = 0;
    chat.loading = null;
    $("chat-messages").replaceChildren();
    delete $("chat-messages").dataset.scrolled;
}

/** After a roster change: the conversation list follows the fleet's members. */
async function refreshChatCells() {
    try {
        state.fleet = await getJson("/fleet");
        renderChatCells();
    } catch (e) {
        handle(e);
    }
}

function renderChatCells() {
    const members = state.fleet && state.fleet.inFleet ? shareTargets(state.fleet) : [];
    $("chat-cells").replaceChildren(...members.map(m => {
        const unread = chat.unread.get(m.id) || 0;
        const name = m.label || m.shortId;
        return el("li", {"data-cell": m.id},
            el("a", {href: "#chat:" + encodeURIComponent(m.id), "aria-current": m.id === chat.cell ? "true" : null,
                "aria-label": name + (unread > 0 ? ", " + unread + " new" : "")},
                el("span", {class: "cell-name", text: name}), " ", el("span", {class: "mono cell-short", text: m.shortId}),
                unread > 0 ? el("span", {class: "badge unread", text: String(unread)}) : null));
    }));
}

function renderUnread() {
    let total = 0;
    for (const n of chat.unread.values()) total += n;
    const link = $("chat-link");
    link.textContent = total > 0 ? "Chat (" + total + ")" : "Chat";
    if (total > 0) link.setAttribute("aria-label", "Chat, " + total + " new messages");
    else link.removeAttribute("aria-label");
}

/** Reads the shown conversation after the last message held (or again from the oldest queued one), in bounded pages. */
async function loadMessages() {
    if (!chat.cell) return;
    if (chat.loading) return chat.loading.catch(() => null).then(() => loadMessages());
    const cell = chat.cell;
    chat.loading = (async () => {
        const queued = chat.messages.find(m => m.outgoing && !m.delivered);
        let since = queued ? queued.id - 1 : chat.lastId;
        let truncated = false;
        for (let page = 0; page < 20; page++) {
            const list = await getJson("/chat/" + encodeURIComponent(cell) + "?limit=" + CHAT_PAGE + "&since=" + since);
            if (chat.cell !== cell) return;
            mergeMessages(list);
            if (list.length < CHAT_PAGE) break;
            since = list[list.length - 1].id;
            truncated = page === 19;
        }
        renderMessages(truncated);
    })();
    try {
        await chat.loading;
    } catch (e) {
        handle(e);
    } finally {
        chat.loading = null;
    }
}

function mergeMessages(list) {
    const byId = new Map(chat.messages.map(m => [m.id, m]));
    for (const m of list) byId.set(m.id, m);
    chat.messages = [...byId.values()].sort((a, b) => a.id - b.id);
    if (chat.messages.length > CHAT_SHOWN) chat.messages = chat.messages.slice(-CHAT_SHOWN);
    if (chat.messages.length > 0) chat.lastId = Math.max(chat.lastId, chat.messages[chat.messages.length - 1].id);
}

function messageItem(m) {
    return el("li", {class: "message " + (m.outgoing ? "outgoing" : "incoming"), "data-id": m.id},
        el("p", {class: "text", text: m.text}),
        el("p", {class: "meta"}, el("span", {class: "visually-hidden", text: m.outgoing ? "You: " : cellName(m.from) + ": "}),
            el("time", {datetime: m.sentAt, text: humanTime(m.sentAt)}),
            m.outgoing ? el("span", {class: "delivery", text: ""}) : null));
}

/**
 * Draws the conversation by message id: items already shown stay (only their queued/delivered mark changes), new
 * ones are appended, so a screen reader announces only what is new (aria-relevant="additions").
 */
function renderMessages(truncated) {
    const list = $("chat-messages");
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
    const shown = new Map([...list.children].map(li => [li.dataset.id, li]));
    const keep = new Set(chat.messages.map(m => String(m.id)));
    for (const [id, li] of shown) if (!keep.has(id)) li.remove();
    for (const m of chat.messages) {
        let li = shown.get(String(m.id));
        if (!li) {
            li = messageItem(m);
            list.append(li);
        }
        const mark = li.querySelector(".delivery");
        if (mark) {
            mark.className = "delivery " + (m.delivered ? "delivered" : "queued");
            mark.textContent = m.delivered ? " \u00b7 delivered" : " \u00b7 queued";
        }
    }
    $("chat-empty").hidden = chat.messages.length > 0;
    $("chat-more").hidden = !truncated && chat.messages.length < CHAT_SHOWN;
    $("chat-more").textContent = "Only the newest " + chat.messages.length + " messages are shown.";
    if (atBottom || list.dataset.scrolled !== "1") {
        list.scrollTop = list.scrollHeight;
        list.dataset.scrolled = "1";
    }
    // chat.delivered says when a queued message went out; while the event stream is down, look again after a while.
    clearTimeout(chat.recheck);
    chat.recheck = chat.messages.some(m => m.outgoing && !m.delivered) && !$("live").classList.contains("on")
        ? setTimeout(() => loadMessages(), CHAT_RECHECK_MS) : null;
}

/** A chat.delivered event: a queued message of the conversation shown reached its cell. */
function chatDelivered(data) {
    if (data && state.view === "chat" && chat.cell === data.cell) loadMessages();
}

/** A chat.message event: reads the conversation shown, or counts the message as unread. */
function chatArrived(message) {
    if (!message || typeof message.from !== "string") return;
    if (state.view === "chat" && chat.cell === message.from) {
        loadMessages();
        return;
    }
    chat.unread.set(message.from, Math.min(9999, (chat.unread.get(message.from) || 0) + 1));
    renderUnread();
    if (state.view === "chat") renderChatCells();
}

async function sendChat(event) {
    event.preventDefault();
    clearError();
    const text = $("chat-text").value;
    if (!chat.cell || text.trim() === "") return;
    const submit = $("chat-form").querySelector("button[type=submit]");
    submit.disabled = true;
    try {
        const sent = await (await api("POST", API + "/chat/" + encodeURIComponent(chat.cell), {body: {text}})).json();
        $("chat-text").value = "";
        mergeMessages([sent]);
        renderMessages(false);
        await loadMessages();
    } catch (e) {
        handle(e);
    } finally {
        submit.disabled = false;
        $("chat-text").focus();
    }
}

// ---------- bounty ----------

/** Micro-credits as credits for people (exact: the amounts are integers). */
function credits(micro) {
    const sign = micro < 0 ? "\u2212" : "";
    const abs = Math.abs(micro);
    const whole = Math.floor(abs / 1e6);
    const fraction = String(abs % 1e6).padStart(6, "0").replace(/0+$/, "");
    return sign + whole.toLocaleString() + (fraction ? "." + fraction : "") + (abs === 1e6 ? " credit" : " credits");
}

async function loadBounty() {
    try {
        const [fleet, bounty] = await Promise.all([getJson("/fleet"), getJson("/bounty")]);
        state.fleet = fleet;
        const earned = bounty.peers.reduce((sum, p) => sum + p.earned, 0);
        const spent = bounty.peers.reduce((sum, p) => sum + p.spent, 0);
        $("bounty-facts").replaceChildren(...[["Balance", credits(bounty.balance)], ["Earned", credits(earned)],
            ["Spent", credits(spent)], ["Peers with an account", String(bounty.peers.length)]]
            .flatMap(([k, v]) => [el("dt", {text: k}), el("dd", {text: v, class: k === "Balance" ? "balance" : null})]));
        $("bounty-figure").hidden = bounty.peers.length === 0;
        $("bounty-chart").replaceChildren(bars(bounty.peers.flatMap(p => [[cellName(p.cell) + " \u00b7 earned", p.earned],
            [cellName(p.cell) + " \u00b7 spent", p.spent]]), credits));
        $("bounty-peers").replaceChildren(...bounty.peers.map(p => el("tr", {"data-cell": p.cell},
            el("td", {"data-label": "Cell", class: "name", text: cellName(p.cell)}),
            el("td", {"data-label": "Earned", text: credits(p.earned)}),
            el("td", {"data-label": "Spent", text: credits(p.spent)}),
            el("td", {"data-label": "Balance", class: p.balance < 0 ? "negative" : "", text: credits(p.balance)}))));
        $("bounty-peers-empty").hidden = bounty.peers.length > 0;
        $("bounty-peers").closest("table").hidden = bounty.peers.length === 0;
        $("bounty-receipts").replaceChildren(...bounty.recent.map(r => {
            const receipt = (r.signed && r.signed.receipt) || {};
            const other = r.direction === "earned" ? receipt.payer : receipt.payee;
            return el("tr", {},
                el("td", {"data-label": "Stored", text: humanTime(r.storedAt)}),
                el("td", {"data-label": "Direction", text: r.direction}),
                el("td", {"data-label": "Cell", text: typeof other === "string" ? cellName(other) : "–"}),
                el("td", {"data-label": "Period", text: humanTime(receipt.periodStart) + " \u2013 "
                    + humanTime(receipt.periodEnd)}),
                el("td", {"data-label": "Bytes held", text: humanBytes(receipt.bytes || 0)}),
                el("td", {"data-label": "Amount", text: credits(receipt.amount || 0)}),
                el("td", {"data-label": "Delivered", text: r.delivered ? "yes" : "not yet"}));
        }));
        $("bounty-receipts-empty").hidden = bounty.recent.length > 0;
        $("bounty-receipts").closest("table").hidden = bounty.recent.length === 0;
    } catch (e) {
        handle(e);
    }
}

start().catch(showError);
