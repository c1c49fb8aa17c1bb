package io.grove.runtime.share;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.RecipientBox;
import io.grove.runtime.files.FileIndex;
import io.grove.runtime.json.Json;
import io.grove.runtime.manifest.FileKeys;
import io.grove.runtime.manifest.ManifestCodec;
import io.grove.runtime.manifest.SealedManifest;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peers.Peers;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Three cells on loopback: A owns files, B is a friend, C a member; A shares with B only. */
class ShareTest {
    @TempDir
    Path dir;
    private final List<TestCell> cells = new ArrayList<>();
    private TestCell a;
    private TestCell b;
    private TestCell c;

    @BeforeEach
    void fleet() throws Exception {
        a = cell("alpha");
        b = cell("beta");
        c = cell("gamma");
        json(a.postJson("/api/v1/fleet", "{\"name\":\"share\"}"), 201);
        join(b, invite("friend"));
        join(c, invite("member"));
        for (TestCell cell : List.of(a, b, c)) {
            eventually(() -> cell.cell().roster().stamp().seq() >= 3, "every cell sees the full roster");
        }
    }

    @AfterEach
    void stop() {
        cells.forEach(TestCell::close);
    }

    @Test
    void friendReadsTheSharedFileFollowsNewVersionsAndLosesItOnRevocationWhileTheNextVersionIsReKeyed() throws Exception {
        byte[] v1 = random(700_000);
        put(a, "docs/plan.bin", v1);
        JsonNode share = json(a.postJson("/api/v1/shares", "{\"path\":\"docs/plan.bin\",\"with\":\"" + id(b)
                + "\",\"expires\":\"7d\"}"), 201);
        String grant = share.get("id").asText();
        assertThat(share.get("status").asText()).isEqualTo("active");
        assertThat(share.has("key")).isFalse();

        JsonNode feed = json(b.send(b.request("/api/v1/feed").GET().build()), 200);
        assertThat(feed).hasSize(1);
        assertThat(feed.get(0).get("path").asText()).isEqualTo("docs/plan.bin");
        assertThat(feed.get(0).get("from").asText()).isEqualTo(id(a));
        assertThat(content(b, grant).body()).isEqualTo(v1);
        assertThat(b.cell().events().since(0)).anyMatch(e -> e.type().equals("share.received"));

        // A "latest" grant follows the owner's next version.
        byte[] v2 = random(90_000);
        put(a, "docs/plan.bin", v2);
        assertThat(content(b, grant).body()).isEqualTo(v2);
        byte[] keyBefore = currentFileKey(a, "docs/plan.bin");

        HttpResponse<String> revoked = a.send(a.request("/api/v1/shares/" + grant).DELETE().build());
        assertThat(json(revoked, 200).get("status").asText()).isEqualTo("revoked");
        assertThat(json(revoked, 200).get("recipientTold").asBoolean()).isTrue();
        assertThat(json(b.send(b.request("/api/v1/feed").GET().build()), 200)).isEmpty();
        assertThat(content(b, grant).statusCode()).isEqualTo(404);
        assertThat(b.cell().events().since(0)).anyMatch(e -> e.type().equals("share.revoked"));

        // Even a recipient that ignored the revocation is refused by the owner, for the manifest and every chunk.
        assertThatThrownBy(() -> callOwner(b, a, "share.manifest", "{\"grant\":\"" + grant + "\"}"))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(403));
        String chunk = firstChunk(a, "docs/plan.bin");
        assertThatThrownBy(() -> callOwner(b, a, "share.chunk", "{\"grant\":\"" + grant + "\",\"id\":\"" + chunk + "\"}"))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(403));

        // The next version is sealed under a new file key; the one after keeps it.
        put(a, "docs/plan.bin", random(1000));
        byte[] keyAfter = currentFileKey(a, "docs/plan.bin");
        assertThat(keyAfter).isNotEqualTo(keyBefore);
        put(a, "docs/plan.bin", random(1000));
        assertThat(currentFileKey(a, "docs/plan.bin")).isEqualTo(keyAfter);
        // Old versions still open for the owner: each manifest carries its own wrapped key.
        HttpResponse<byte[]> history = a.sendBytes(a.request("/api/v1/files/docs/plan.bin").GET().build());
        assertThat(history.statusCode()).isEqualTo(200);

        // The revoked grant pushed again (a replay by its creator's cell) is refused and the feed stays empty.
        byte[] signed = a.cell().network().shares().find(grant).map(k -> SignedGrant.sign(k.grant(), keys(a)).encode())
                .orElseThrow();
        assertThatThrownBy(() -> callOwner(a, b, "share.grant", signed))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(json(b.send(b.request("/api/v1/feed").GET().build()), 200)).isEmpty();
    }

    @Test
    void theFriendReadsTheSharedFileFromAThirdHolderWhileTheOwnerIsOffline() throws Exception {
        byte[] content = random(600_000);
        put(a, "docs/away.bin", content);
        String grant = json(a.postJson("/api/v1/shares", "{\"path\":\"docs/away.bin\",\"with\":\"" + id(b) + "\"}"), 201)
                .get("id").asText();
        assertThat(content(b, grant).body()).isEqualTo(content);
        // Factor 2: the member C holds A's chunks and sealed manifest (the friend B holds nothing of A's).
        eventually(() -> {
            try {
                JsonNode placement = json(a.send(a.request("/api/v1/placement").GET().build()), 200);
                return placement.get(0).get("confirmed").asInt() == 2;
            } catch (Exception e) {
                return false;
            }
        }, "A's file reaches its second copy on C");

        a.close();
        cells.remove(a);
        HttpResponse<byte[]> away = content(b, grant);
        assertThat(away.statusCode()).isEqualTo(200);
        assertThat(away.body()).isEqualTo(content);
    }

    @Test
    void forgedTamperedMisaddressedAndExpiredGrantsAreRefusedAndChangeNothing() throws Exception {
        put(a, "secret.txt", "top".getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        byte[] fileKey = currentFileKey(a, "secret.txt");
        String version = a.cell().storage().index().current("secret.txt").orElseThrow().id();

        // A flipped bit anywhere in the signed grant.
        byte[] good = grant(a, b, version, now, 0, fileKey).encode();
        for (int i : List.of(20, good.length / 2, good.length - 10)) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x01;
            assertThatThrownBy(() -> callOwner(a, b, "share.grant", flipped)).isInstanceOf(PeerCallException.class);
        }
        // Signed by a cell that is not its creator (C signs a grant naming A).
        Grant byA = grant(a, b, version, now, 0, fileKey).grant();
        SignedGrant forged = new SignedGrant(byA, keys(c).sign(Grant.SIGNATURE_LABEL, payloadOf(byA)));
        assertThatThrownBy(() -> callOwner(a, b, "share.grant", forged.encode())).isInstanceOf(PeerCallException.class);
        // A grant C made, pushed by A.
        assertThatThrownBy(() -> callOwner(a, b, "share.grant", grant(c, b, version, now, 0, fileKey).encode()))
                .isInstanceOf(PeerCallException.class);
        // Addressed to C, pushed to B.
        assertThatThrownBy(() -> callOwner(a, b, "share.grant", grant(a, c, version, now, 0, fileKey).encode()))
                .isInstanceOf(PeerCallException.class);
        // Expired.
        long hourAgo = now - Duration.ofHours(1).toMillis();
        assertThatThrownBy(() -> callOwner(a, b, "share.grant",
                grant(a, b, version, hourAgo - 1000, hourAgo, fileKey).encode())).isInstanceOf(PeerCallException.class);
        assertThat(json(b.send(b.request("/api/v1/feed").GET().build()), 200)).isEmpty();
        assertThat(b.cell().events().since(0)).noneMatch(e -> e.type().startsWith("share."));

        // The untampered one is accepted: the refusals above were for the defects, not the harness.
        callOwner(a, b, "share.grant", good);
        assertThat(json(b.send(b.request("/api/v1/feed").GET().build()), 200)).hasSize(1);

        // A revoked cell can push nothing at all.
        json(a.send(a.request("/api/v1/fleet/members/" + id(c)).DELETE().build()), 200);
        eventually(() -> b.cell().roster().member(c.cell().id()).isEmpty(), "b learns that c was revoked");
        assertThatThrownBy(() -> callOwner(c, b, "share.grant", grant(c, b, version, now, 0, fileKey).encode()))
                .isInstanceOfSatisfying(PeerCallException.class, e -> assertThat(e.status()).isEqualTo(403));
        // Only friends or members receive grants: the owner refuses to share with the revoked cell.
        assertThat(a.postJson("/api/v1/shares", "{\"path\":\"secret.txt\",\"with\":\"" + id(c) + "\"}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void aCellTheFileIsNotSharedWithNeverSeesItsMarkersOrKey() throws Exception {
        SecureRandom random = new SecureRandom();
        List<byte[]> markers = new ArrayList<>();
        byte[] content = random(200_000);
        for (int i = 0; i < 4; i++) {
            byte[] marker = new byte[32];
            random.nextBytes(marker);
            markers.add(marker);
            System.arraycopy(marker, 0, content, i * 50_000, 32);
        }
        put(a, "canary.bin", content);
        String grant = json(a.postJson("/api/v1/shares", "{\"path\":\"canary.bin\",\"with\":\"" + id(b) + "\"}"), 201)
                .get("id").asText();
        assertThat(content(b, grant).body()).isEqualTo(content);
        byte[] fileKey = currentFileKey(a, "canary.bin");

        List<byte[]> seenByC = new ArrayList<>();
        for (String path : List.of("/api/v1/feed", "/api/v1/shares", "/api/v1/feed/" + grant + "/content",
                "/api/v1/chat/" + id(a), "/api/v1/events", "/api/v1/files/")) {
            seenByC.add(c.sendBytes(c.request(path).GET().build()).body());
        }
        String chunk = firstChunk(a, "canary.bin");
        for (String[] call : List.of(new String[]{"share.manifest", "{\"grant\":\"" + grant + "\"}"},
                new String[]{"share.chunk", "{\"grant\":\"" + grant + "\",\"id\":\"" + chunk + "\"}"},
                new String[]{"chunk.get", "{\"id\":\"" + chunk + "\"}"},
                new String[]{"manifest.pull", "{\"id\":\"" + a.cell().storage().index().current("canary.bin")
                        .orElseThrow().id() + "\"}"})) {
            try {
                seenByC.add(callOwner(c, a, call[0], call[1].getBytes(StandardCharsets.UTF_8)));
            } catch (PeerCallException e) {
                seenByC.add(e.getMessage().getBytes(StandardCharsets.UTF_8));
            }
        }
        seenByC.add(Json.mapper().writeValueAsBytes(c.cell().events().since(0)));
        List<byte[]> secrets = new ArrayList<>(markers);
        secrets.add(fileKey);
        for (byte[] seen : seenByC) {
            for (byte[] secret : secrets) {
                assertThat(contains(seen, secret)).as("raw secret in a response to C").isFalse();
                for (String form : List.of(HexFormat.of().formatHex(secret), Base64.getEncoder().encodeToString(secret),
                        Base64.getUrlEncoder().withoutPadding().encodeToString(secret))) {
                    assertThat(new String(seen, StandardCharsets.ISO_8859_1)).doesNotContain(form);
                }
            }
        }
        // The harness can see secrets where they are: B's read contains every marker.
        assertThat(contains(content(b, grant).body(), markers.get(3))).isTrue();
    }

    @Test
    void aLargeSharedFileReadsByteIdenticalAndItsRateIsReported() throws Exception {
        byte[] content = random(16 << 20);
        put(a, "big.bin", content);
        String grant = json(a.postJson("/api/v1/shares", "{\"path\":\"big.bin\",\"with\":\"" + id(b) + "\"}"), 201)
                .get("id").asText();
        content(b, grant); // warm-up
        long start = System.nanoTime();
        HttpResponse<byte[]> shared = content(b, grant);
        double sharedSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(shared.body()).isEqualTo(content);
        start = System.nanoTime();
        HttpResponse<byte[]> own = a.sendBytes(a.request("/api/v1/files/big.bin").GET().build());
        double ownSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(own.body()).isEqualTo(content);
        System.out.printf("MEASURE shared read of 16 MiB through the owner: %.3f s (%.1f MiB/s); owner's own read: %.3f s (%.1f MiB/s)%n",
                sharedSeconds, 16 / sharedSeconds, ownSeconds, 16 / ownSeconds);
    }

    private SignedGrant grant(TestCell from, TestCell to, String version, long createdAt, long expiresAt, byte[] fileKey) {
        String id = Grant.newId(new SecureRandom());
        byte[] box = RecipientBox.seal(to.cell().roster().member(to.cell().id()).orElseThrow().agreementKey(), fileKey,
                Grant.context(id, from.cell().id(), to.cell().id()));
        Grant g = new Grant(id, from.cell().id(), to.cell().id(), "secret.txt", version, true, createdAt,
                expiresAt == 0 ? 0 : expiresAt, box);
        return SignedGrant.sign(g, keys(from));
    }

    /** The canonical bytes a grant's signature covers, read back out of a correctly signed encoding. */
    private byte[] payloadOf(Grant g) throws Exception {
        JsonNode body = Json.mapper().readTree(new SignedGrant(g, new byte[64]).encode()).get("grant");
        return new org.erdtman.jcs.JsonCanonicalizer(Json.mapper().writeValueAsString(body)).getEncodedUTF8();
    }

    private static CellKeys keys(TestCell cell) {
        return cell.cell().folder().keys();
    }

    private static byte[] currentFileKey(TestCell owner, String path) throws Exception {
        FileIndex index = owner.cell().storage().index();
        SealedManifest sealed = index.manifest(index.current(path).orElseThrow().id()).orElseThrow();
        return new FileKeys(keys(owner).masterKey()).unwrap(ManifestCodec.wrappedFileKey(sealed));
    }

    private static String firstChunk(TestCell owner, String path) {
        String version = owner.cell().storage().index().current(path).orElseThrow().id();
        return owner.cell().storage().index().inTransaction(h -> h.createQuery(
                "SELECT chunk_id FROM version_chunks WHERE version_id = ? ORDER BY seq LIMIT 1")
                .bind(0, version).mapTo(String.class).one());
    }

    private static byte[] callOwner(TestCell from, TestCell to, String op, String json) throws Exception {
        return callOwner(from, to, op, json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] callOwner(TestCell from, TestCell to, String op, byte[] body) throws Exception {
        Peers peers = from.cell().network().peers();
        CellId target = to.cell().id();
        return peers.call(target, route -> peers.client().call(route, op, body, 32L << 20));
    }

    private static HttpResponse<byte[]> content(TestCell cell, String grant) throws Exception {
        return cell.sendBytes(cell.request("/api/v1/feed/" + grant + "/content").GET().build());
    }

    private static void put(TestCell cell, String path, byte[] content) throws Exception {
        HttpResponse<String> put = cell.send(cell.request("/api/v1/files/" + path)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    }

    private static byte[] random(int n) {
        byte[] out = new byte[n];
        new SecureRandom().nextBytes(out);
        return out;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String id(TestCell cell) {
        return cell.cell().id().value();
    }

    private TestCell cell(String name) {
        TestCell cell = TestCell.start(dir.resolve(name), Map.of("fleet.gossip-interval", "200ms", "peer.timeout", "15s",
                "cell.label", name, "sync.interval", "500ms"));
        cells.add(cell);
        return cell;
    }

    private String invite(String role) throws Exception {
        return json(a.postJson("/api/v1/fleet/invites", "{\"role\":\"" + role + "\",\"expires\":\"1h\"}"), 201)
                .get("code").asText();
    }

    private static void join(TestCell cell, String code) throws Exception {
        json(cell.postJson("/api/v1/fleet/join", "{\"code\":\"" + code + "\"}"), 200);
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        TestCell.eventually(Duration.ofSeconds(20), condition, what);
    }


    static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.mapper().readTree(response.body());
    }

}
