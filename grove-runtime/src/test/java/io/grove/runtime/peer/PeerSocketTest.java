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

/** A whole cell's peer socket, checking senders against the cell's own roster. */
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

    @Test
    void aCellAnswersTheMembersOfItsRosterAndRefusesEveryoneElse() throws Exception {
        try (TestCell cell = TestCell.start(tmp.resolve("cell"), Map.of());
             PeerTesting.HttpTransport http = new PeerTesting.HttpTransport()) {
            CellKeys cellKeys = cell.cell().folder().keys();
            CellKeys member = PeerTesting.keys(tmp.resolve("member"));
            CellKeys stranger = PeerTesting.keys(tmp.resolve("stranger"));
            cell.cell().roster().create("leader", io.grove.runtime.fleet.RosterParameters.DEFAULTS);
            cell.cell().roster().add(new io.grove.runtime.fleet.Member(member.cellId(), member.signingPublicKey(),
                    member.agreementPublicKey(), "member", io.grove.runtime.fleet.Role.MEMBER, false));
            Route route = PeerTesting.HttpTransport.route(cell.cell().id(), cell.cell().peerPort());
            byte[] hello = Json.mapper().writeValueAsBytes(new PeerMessages.Hello(java.util.List.of(PeerProtocol.VERSION), 0, ""));

            for (CellKeys sender : java.util.List.of(member, stranger)) {
                PeerTesting.TestMembership view = new PeerTesting.TestMembership().add(cellKeys).add(sender);
                PeerSigner signer = new PeerSigner(sender, view, Clock.systemUTC());
                PeerRequest request = signer.request(cell.cell().id(), "hello", hello);
                try (VerifiedResponse response = signer.verify(cell.cell().id(), request,
                        http.exchange(route, request, Duration.ofSeconds(10)))) {
                    if (sender == member) {
                        assertThat(response.status()).isEqualTo(200);
                        assertThat(Json.mapper().readTree(response.bytes()).get("rosterSeq").asLong()).isEqualTo(2);
                    } else {
                        assertThat(response.status()).isEqualTo(403);
                    }
                }
            }
        }
    }
}
