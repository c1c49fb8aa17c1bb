package io.grove.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST side of the dashboard's Settings and throughput: {@code /api/v1/fleet/parameters}, {@code /api/v1/watch},
 * {@code /api/v1/stats/throughput}, and the {@code peer.up}/{@code peer.down} events, on real cells over loopback.
 */
class DashboardSettingsApiTest {
    private static final Map<String, String> FLEET = Map.of("fleet.gossip-interval", "200ms", "peer.timeout", "5s",
            "routes.probe-interval", "5s", "events.presence-interval", "300ms");

    @TempDir
    Path tmp;

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.mapper().readTree(response.body());
    }

    private static HttpResponse<String> put(TestCell cell, String path, String json) throws Exception {
        return cell.send(cell.request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static HttpResponse<String> get(TestCell cell, String path) throws Exception {
        return cell.send(cell.request(path).GET().build());
    }

    private static HttpResponse<String> delete(TestCell cell, String path) throws Exception {
        return cell.send(cell.request(path).DELETE().build());
    }

    private TestCell start(String name, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(FLEET);
        settings.putAll(extra);
        return TestCell.start(tmp.resolve(name), settings);
    }

    @Test
    void theLeaderChangesFleetParametersAndMembersFollowWhileOthersAreRefused() throws Exception {
        try (TestCell leader = start("leader", Map.of());
             TestCell member = start("member", Map.of("replication.factor", "1"))) {
            JsonNode alone = json(get(leader, "/api/v1/fleet/parameters"), 200);
            assertThat(alone.get("inFleet").asBoolean()).isFalse();
            assertThat(alone.get("editable").asBoolean()).isFalse();
            assertThat(alone.get("reason").asText()).contains("no fleet");
            assertThat(alone.at("/effective/replicationFactor").asInt()).isEqualTo(2);
            JsonNode noFleet = json(put(leader, "/api/v1/fleet/parameters", "{\"replicationFactor\":3}"), 409);
            assertThat(noFleet.get("type").asText()).endsWith("/no-fleet");

            json(leader.postJson("/api/v1/fleet", "{\"name\":\"Home\"}"), 201);
            String code = json(leader.postJson("/api/v1/fleet/invites", "{\"role\":\"member\",\"expires\":\"1h\"}"), 201)
                    .get("code").asText();
            json(member.postJson("/api/v1/fleet/join", "{\"code\":\"" + code + "\"}"), 200);
            long seq = json(get(leader, "/api/v1/fleet/parameters"), 200).get("rosterSeq").asLong();

            // Validation: the same bounds as the roster (factor 1..16, sync 10 s..1 d, grace 1 min..30 d).
            for (String bad : List.of("{\"replicationFactor\":0}", "{\"replicationFactor\":17}",
                    "{\"replicationFactor\":\"3\"}", "{\"replicationFactor\":2.5}", "{\"syncInterval\":\"5s\"}",
                    "{\"syncInterval\":\"soon\"}", "{\"syncInterval\":\"2d\"}", "{\"healingGrace\":30}",
                    "{\"healingGrace\":\"31d\"}", "{\"colour\":\"blue\"}", "{}", "[1]", "not json")) {
                JsonNode refused = json(put(leader, "/api/v1/fleet/parameters", bad), 400);
                assertThat(refused.get("type").asText()).as(bad).endsWith("/bad-request");
            }
            assertThat(json(get(leader, "/api/v1/fleet/parameters"), 200).get("rosterSeq").asLong()).isEqualTo(seq);

            JsonNode changed = json(put(leader, "/api/v1/fleet/parameters",
                    "{\"replicationFactor\":3,\"syncInterval\":\"2m\",\"healingGrace\":7200}"), 200);
            assertThat(changed.get("rosterSeq").asLong()).isEqualTo(seq + 1);
            assertThat(changed.at("/fleet/replicationFactor").asInt()).isEqualTo(3);
            assertThat(changed.at("/fleet/syncIntervalSeconds").asLong()).isEqualTo(120);
            assertThat(changed.at("/fleet/healingGraceSeconds").asLong()).isEqualTo(7200);
            assertThat(changed.get("editable").asBoolean()).isTrue();
            // The same values again sign nothing new.
            assertThat(json(put(leader, "/api/v1/fleet/parameters", "{\"replicationFactor\":3}"), 200)
                    .get("rosterSeq").asLong()).isEqualTo(seq + 1);

            // Gossip brings the new roster to the member, whose own replication.factor still wins there.
            TestCell.eventually(Duration.ofSeconds(20), () -> member.cell().roster().current()
                    .map(r -> r.roster().parameters().syncInterval().equals(Duration.ofMinutes(2))).orElse(false),
                    "the member has the new roster");
            JsonNode seen = json(get(member, "/api/v1/fleet/parameters"), 200);
            assertThat(seen.get("editable").asBoolean()).isFalse();
            assertThat(seen.at("/fleet/replicationFactor").asInt()).isEqualTo(3);
            assertThat(seen.at("/localOverrides/replicationFactor").asInt()).isEqualTo(1);
            assertThat(seen.at("/effective/replicationFactor").asInt()).isEqualTo(1);
            assertThat(seen.at("/effective/syncIntervalSeconds").asLong()).isEqualTo(120);
            JsonNode notLeader = json(put(member, "/api/v1/fleet/parameters", "{\"replicationFactor\":2}"), 403);
            assertThat(notLeader.get("type").asText()).endsWith("/not-leader");

            // Presence: the member is seen up, then down once it stops, as live events on the leader.
            EventBus events = leader.cell().events();
            String memberId = member.cell().id().value();
            TestCell.eventually(Duration.ofSeconds(30), () -> leader.cell().network().peers().routes()
                    .health(member.cell().id()).up(), "the leader reaches the member");
            long before = events.latest();
            member.close();
            TestCell.eventually(Duration.ofSeconds(40), () -> events.since(before).stream()
                    .anyMatch(e -> e.type().equals("peer.down") && memberId.equals(e.data().get("cell"))),
                    "peer.down for the stopped member");
        }
    }

    @Test
    void foldersAddedAtRuntimeAreWatchedAtOnceKeptAcrossRestartsAndRemovable() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve("Docs"));
        Path camera = Files.createDirectories(tmp.resolve("elsewhere/camera"));
        Files.writeString(camera.resolve("before.txt"), "there before the folder was added");
        Map<String, String> watch = Map.of("watch.home", home.toString(), "watch.folders", "Docs",
                "watch.debounce", "200ms");
        try (TestCell cell = start("cell", watch)) {
            JsonNode listed = json(get(cell, "/api/v1/watch"), 200);
            assertThat(listed.get("folders")).hasSize(1);
            assertThat(listed.at("/folders/0/name").asText()).isEqualTo("Docs");
            assertThat(listed.at("/folders/0/source").asText()).isEqualTo("config");

            // Refusals, each naming the problem.
            Files.createDirectories(home.resolve("Inside"));
            Map<String, Integer> refused = new java.util.LinkedHashMap<>();
            refused.put("{\"name\":\"X\",\"dir\":\"" + tmp.resolve("nowhere") + "\"}", 400);
            refused.put("{\"name\":\"X\",\"dir\":\"../outside\"}", 400);
            refused.put("{\"name\":\"X\",\"dir\":\"" + tmp.resolve("cell") + "\"}", 400);
            refused.put("{\"name\":\"X\",\"dir\":\"" + tmp + "\"}", 400);
            refused.put("{\"name\":\"X\",\"dir\":\"" + home.resolve("Docs/..") + "\"}", 400);
            refused.put("{\"name\":\"../X\",\"dir\":\"" + camera + "\"}", 400);
            refused.put("{\"name\":\"Docs\",\"dir\":\"" + camera + "\"}", 409);
            refused.put("{\"name\":\"Docs/Sub\",\"dir\":\"" + camera + "\"}", 400);
            refused.put("{\"dir\":\"" + camera + "\"}", 400);
            refused.put("{\"name\":\"X\"}", 400);
            for (Map.Entry<String, Integer> r : refused.entrySet()) {
                assertThat(cell.postJson("/api/v1/watch", r.getKey()).statusCode()).as(r.getKey()).isEqualTo(r.getValue());
            }

            JsonNode added = json(cell.postJson("/api/v1/watch", "{\"name\":\"Camera\",\"dir\":\"" + camera + "\"}"), 201);
            assertThat(added.get("source").asText()).isEqualTo("settings");
            var files = cell.cell().storage().files();
            TestCell.eventually(Duration.ofSeconds(20), () -> files.currentVersion("Camera/before.txt").isPresent(),
                    "the folder's existing file is stored");
            Files.writeString(camera.resolve("dropped.txt"), "dropped after");
            TestCell.eventually(Duration.ofSeconds(20), () -> files.currentVersion("Camera/dropped.txt").isPresent(),
                    "a file dropped into the new folder is stored");
            // Relative directories are under watch.home.
            json(cell.postJson("/api/v1/watch", "{\"name\":\"Inside\",\"dir\":\"Inside\"}"), 201);
            assertThat(json(get(cell, "/api/v1/watch"), 200).get("folders")).hasSize(3);
            assertThat(delete(cell, "/api/v1/watch/Inside").statusCode()).isEqualTo(204);
            assertThat(delete(cell, "/api/v1/watch/Inside").statusCode()).isEqualTo(404);
            assertThat(delete(cell, "/api/v1/watch/Docs").statusCode()).isEqualTo(409);
            assertThat(delete(cell, "/api/v1/watch/Nothing").statusCode()).isEqualTo(404);
        }
        try (TestCell again = start("cell", watch)) {
            JsonNode listed = json(get(again, "/api/v1/watch"), 200);
            assertThat(listed.get("folders")).extracting(f -> f.get("name").asText()).containsExactly("Docs", "Camera");
            var files = again.cell().storage().files();
            Files.writeString(camera.resolve("after-restart.txt"), "still watched");
            TestCell.eventually(Duration.ofSeconds(20), () -> files.currentVersion("Camera/after-restart.txt").isPresent(),
                    "the added folder is watched after a restart");
            assertThat(delete(again, "/api/v1/watch/Camera").statusCode()).isEqualTo(204);
            Files.writeString(camera.resolve("ignored.txt"), "not watched any more");
            Files.writeString(home.resolve("Docs/seen.txt"), "the configured folder still is");
            TestCell.eventually(Duration.ofSeconds(20), () -> files.currentVersion("Docs/seen.txt").isPresent(),
                    "the configured folder is still watched");
            Thread.sleep(600); // three debounce periods after the configured folder's file was stored
            assertThat(files.currentVersion("Camera/ignored.txt")).isEmpty();
            assertThat(files.currentVersion("Camera/dropped.txt")).as("what was stored stays").isPresent();
        }
        // A name later configured in grove.yaml wins over the same name added in Settings, which is dropped.
        Path inside = Files.createDirectories(home.resolve("Later"));
        try (TestCell cell = start("cell", watch)) {
            json(cell.postJson("/api/v1/watch", "{\"name\":\"Later\",\"dir\":\"" + tmp.resolve("elsewhere") + "\"}"), 201);
        }
        Map<String, String> both = new HashMap<>(watch);
        both.put("watch.folders", "Docs, Later");
        try (TestCell cell = start("cell", both)) {
            JsonNode listed = json(get(cell, "/api/v1/watch"), 200);
            assertThat(listed.get("folders")).extracting(f -> f.get("name").asText() + "=" + f.get("source").asText())
                    .containsExactly("Docs=config", "Later=config");
            assertThat(listed.at("/folders/1/dir").asText()).isEqualTo(inside.toString());
        }
    }

    @Test
    void changesFromTheDashboardNeedItsSessionAndCsrfToken() throws Exception {
        try (TestCell cell = start("cell", Map.of())) {
            HttpResponse<String> setup = cell.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(cell.cell().apiUrl() + "/api/v1/session/setup"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"a dashboard password\"}")).build());
            String cookie = setup.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
            String csrf = json(setup, 201).get("csrfToken").asText();
            Path dir = Files.createDirectories(tmp.resolve("pictures"));
            String folder = "{\"name\":\"Pictures\",\"dir\":\"" + dir + "\"}";
            for (String[] call : new String[][]{{"PUT", "/api/v1/fleet/parameters", "{\"replicationFactor\":3}"},
                    {"POST", "/api/v1/watch", folder}, {"DELETE", "/api/v1/watch/Pictures", ""}}) {
                java.net.URI uri = java.net.URI.create(cell.cell().apiUrl() + call[1]);
                HttpResponse<String> anonymous = cell.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .method(call[0], HttpRequest.BodyPublishers.ofString(call[2])).build());
                assertThat(anonymous.statusCode()).as(call[1]).isEqualTo(401);
                HttpResponse<String> noToken = cell.send(HttpRequest.newBuilder(uri).header("Cookie", cookie)
                        .header("Content-Type", "application/json")
                        .method(call[0], HttpRequest.BodyPublishers.ofString(call[2])).build());
                assertThat(json(noToken, 403).get("type").asText()).as(call[1]).endsWith("/csrf-token");
            }
            HttpResponse<String> withToken = cell.send(HttpRequest.newBuilder(
                            java.net.URI.create(cell.cell().apiUrl() + "/api/v1/watch")).header("Cookie", cookie)
                    .header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(folder)).build());
            json(withToken, 201);
            assertThat(json(cell.send(HttpRequest.newBuilder(java.net.URI.create(cell.cell().apiUrl() + "/api/v1/watch"))
                    .header("Cookie", cookie).GET().build()), 200).get("folders")).hasSize(1);
        }
    }

    @Test
    void throughputCountsUploadsAndDownloads() throws Exception {
        try (TestCell cell = start("cell", Map.of())) {
            JsonNode empty = json(get(cell, "/api/v1/stats/throughput"), 200);
            assertThat(empty.get("bucketSeconds").asInt()).isEqualTo(10);
            assertThat(empty.get("buckets")).hasSize(360);
            byte[] data = new byte[300_000];
            ThreadLocalRandom.current().nextBytes(data);
            assertThat(cell.send(cell.request("/api/v1/files/big.bin").PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                    .build()).statusCode()).isEqualTo(201);
            assertThat(cell.sendBytes(cell.request("/api/v1/files/big.bin").GET().build()).body()).isEqualTo(data);
            JsonNode after = json(get(cell, "/api/v1/stats/throughput"), 200);
            long uploaded = 0;
            long downloaded = 0;
            for (JsonNode b : after.get("buckets")) {
                uploaded += b.get("uploaded").asLong();
                downloaded += b.get("downloaded").asLong();
            }
            assertThat(uploaded).isEqualTo(data.length);
            assertThat(downloaded).isEqualTo(data.length);
        }
    }
}
