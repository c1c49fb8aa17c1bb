package io.grove.runtime.peer;

import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.Route;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.json.Json;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole cell's peer socket: until the fleet layer supplies a roster, it answers every peer with a signed refusal. */
class PeerSocketTest {
    @TempDir
    Path tmp;

    @Test
    void aCellWithoutARosterRefusesEveryPeerWithASignedAnswer() throws Exception {
        try (TestCell cell = TestCell.start(tmp.resolve("cell"), Map.of());
             PeerTesting.HttpTransport http = new PeerTesting.HttpTransport()) {
            CellKeys cellKeys = cell.cell().folder().keys();
            CellKeys peer = PeerTesting.keys(tmp.resolve("peer"));
            PeerTesting.TestMembership peersView = new PeerTesting.TestMembership().add(cellKeys).add(peer);
            PeerSigner signer = new PeerSigner(peer, peersView, Clock.systemUTC());
            Route route = PeerTesting.HttpTransport.route(cell.cell().id(), cell.cell().peerPort());

            PeerRequest request = signer.request(cell.cell().id(), "hello",
                    Json.mapper().writeValueAsBytes(new PeerMessages.Hello(java.util.List.of(PeerProtocol.VERSION), 0, "")));
            try (VerifiedResponse response = signer.verify(cell.cell().id(), request,
                    http.exchange(route, request, Duration.ofSeconds(10)))) {
                assertThat(response.status()).isEqualTo(403);
                assertThat(Json.mapper().readTree(response.bytes()).get("type").asText())
                        .isEqualTo(PeerReply.PROBLEM_TYPE_BASE + "not-member");
            }
        }
    }
}
