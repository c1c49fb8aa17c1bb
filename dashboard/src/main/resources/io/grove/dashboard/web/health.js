// Shows what GET /api/v1/health reports, refreshed every 5 seconds.
"use strict";

async function refreshHealth() {
    const error = document.getElementById("error");
    try {
        const response = await fetch("/api/v1/health", {cache: "no-store"});
        if (!response.ok) {
            throw new Error("health check answered HTTP " + response.status);
        }
        const health = await response.json();
        document.getElementById("status").textContent = health.status;
        document.getElementById("cell-id").textContent = health.cellId.match(/.{1,7}/g).join("-");
        document.getElementById("version").textContent = health.version;
        error.hidden = true;
    } catch (e) {
        document.getElementById("status").textContent = "unreachable";
        error.textContent = e.message;
        error.hidden = false;
    }
}

refreshHealth();
setInterval(refreshHealth, 5000);
