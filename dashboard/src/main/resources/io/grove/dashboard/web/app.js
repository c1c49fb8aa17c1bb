// The Grove dashboard: plain modern JavaScript, no libraries. Every name that comes from the cell (file names,
// plugin reasons) is put on the page as text (textContent, attributes set one by one), never parsed as HTML.
"use strict";

const API = "/api/v1";
const MAX_LIST_PAGES = 20; // 20 × 1,000 files: the most one folder view reads
const PREVIEW_BYTES = 65536;
const PARALLEL_UPLOADS = 2;

const state = {csrf: null, folder: "", entries: [], view: null};

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
    const name = ["files", "stats", "plugins", "settings"].includes(view) ? view : "files";
    for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== "view-" + name;
    for (const link of document.querySelectorAll("#nav a")) {
        if (link.dataset.view === name) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
    }
    state.view = name;
    clearError();
    if (name === "files") {
        state.folder = rest.join(":");
        closeDetail();
        loadFiles();
    } else if (name === "stats") {
        loadStats();
    } else if (name === "plugins") {
        loadPlugins();
    }
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

start().catch(showError);
