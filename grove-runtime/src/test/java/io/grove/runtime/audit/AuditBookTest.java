package io.grove.runtime.audit;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.db.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditBookTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final AuditPolicy POLICY = new AuditPolicy(Duration.ofHours(1), Duration.ofMinutes(5), 3, Duration.ofDays(10));

    @TempDir
    Path tmp;
    AuditBook book;
    final CellId holder = cell(1);
    final byte[] chunk = bytes(70_000, 1);
    final ChunkId id = idOf(chunk);

    @BeforeEach
    void open() {
        book = new AuditBook(Database.open(tmp.resolve("grove.db")), POLICY);
    }

    @Test
    void handsOutEachChallengeOnceAtARandomTimeWithinTheInterval() {
        List<Challenge> challenges = Challenge.create(chunk, 3);
        book.place(id, holder, chunk.length, challenges, T0);

        AuditedCopy placed = book.copy(id, holder).orElseThrow();
        assertThat(placed.challengesLeft()).isEqualTo(3);
        assertThat(placed.dueAt()).isBetween(T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(90)));
        assertThat(book.nextDue(T0.plus(Duration.ofMinutes(29)), 10)).isEmpty();

        Set<String> nonces = new HashSet<>();
        Instant now = T0.plus(Duration.ofMinutes(90));
        for (int round = 0; round < 3; round++) {
            List<DueAudit> due = book.nextDue(now, 10);
            assertThat(due).hasSize(1);
            assertThat(nonces.add(due.getFirst().nonce())).as("a challenge is never handed out twice").isTrue();
            // Not answered: due again after the retry delay, never before.
            assertThat(book.nextDue(now.plus(Duration.ofMinutes(4)), 10)).isEmpty();
            now = now.plus(Duration.ofMinutes(5));
        }
        assertThat(nonces).isEqualTo(Set.copyOf(challenges.stream().map(Challenge::nonce).toList()));
        assertThat(book.nextDue(now.plus(Duration.ofDays(1)), 10)).isEmpty();
        assertThat(book.exhausted(now.plus(Duration.ofDays(1)), 10)).extracting(AuditedCopy::chunk).containsExactly(id);

        book.place(id, holder, chunk.length, Challenge.create(chunk, 2), now);
        assertThat(book.exhausted(now.plus(Duration.ofDays(1)), 10)).isEmpty();
        assertThat(book.copy(id, holder).orElseThrow().challengesLeft()).isEqualTo(2);
    }

    @Test
    void aCopyOnAnAbsentHolderIsNotChallengedAndKeepsItsChallenge() {
        CellId away = cell(2);
        book.place(id, holder, chunk.length, Challenge.create(chunk, 1), T0);
        book.place(id, away, chunk.length, Challenge.create(chunk, 1), T0);
        Instant later = T0.plus(Duration.ofDays(1));

        assertThat(book.nextDue(later, 10, Set.of(holder))).extracting(DueAudit::holder).containsExactly(holder);
        assertThat(book.nextDue(later, 10, Set.of())).isEmpty();
        assertThat(book.copy(id, away).orElseThrow().challengesLeft()).as("not consumed while away").isEqualTo(1);
        // Back: its copy is still due and is challenged.
        assertThat(book.nextDue(later, 10, Set.of(holder, away))).extracting(DueAudit::holder).containsExactly(away);
    }

    @Test
    void aCopyPlacedWithoutChallengesAsksForThemOnlyOnceDue() {
        book.place(id, holder, chunk.length, List.of(), T0);
        AuditedCopy placed = book.copy(id, holder).orElseThrow();
        assertThat(placed.challengesLeft()).isZero();
        assertThat(book.exhausted(placed.dueAt().minusMillis(1), 10)).as("not due: no hashing yet").isEmpty();
        assertThat(book.nextDue(placed.dueAt(), 10)).as("nothing to hand out").isEmpty();
        assertThat(book.exhausted(placed.dueAt(), 10)).extracting(AuditedCopy::chunk).containsExactly(id);

        book.place(id, holder, chunk.length, Challenge.create(chunk, 3), placed.dueAt());
        assertThat(book.exhausted(placed.dueAt(), 10)).isEmpty();
        assertThat(book.nextDue(placed.dueAt(), 10)).extracting(DueAudit::chunk).containsExactly(id);
    }

    @Test
    void aCopyReadBackFromItsHolderPassesAndOneItNoLongerServesIsLost() {
        CellId other = cell(2);
        book.place(id, holder, chunk.length, List.of(), T0);
        book.place(id, other, chunk.length, List.of(), T0);
        Instant later = T0.plus(Duration.ofHours(3));

        assertThat(book.recordRetrieval(id, holder, AuditResult.Outcome.PASSED, later).outcome())
                .isEqualTo(AuditResult.Outcome.PASSED);
        AuditedCopy proven = book.copy(id, holder).orElseThrow();
        assertThat(proven.provenAt()).isEqualTo(later);
        assertThat(proven.dueAt()).isAfter(later);
        assertThat(book.reputation(holder, later).passed()).isEqualTo(1);

        book.recordRetrieval(id, other, AuditResult.Outcome.MISSING, later);
        assertThat(book.lost(10)).extracting(AuditedCopy::holder).containsExactly(other);
        assertThat(book.reputation(other, later).missing()).isEqualTo(1);
        assertThatThrownBy(() -> book.recordRetrieval(id, other, AuditResult.Outcome.PASSED, later))
                .as("a lost copy is healed, not proven again").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> book.recordRetrieval(id, holder, AuditResult.Outcome.UNANSWERED, later))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRightAnswerPassesAndProvesTheSpanSinceTheLastProof() {
        book.place(id, holder, chunk.length, Challenge.create(chunk, 4), T0);
        Instant first = T0.plus(Duration.ofHours(2));
        DueAudit due = book.nextDue(first, 10).getFirst();

        AuditResult result = book.record(due, AuditReply.digest(AuditAnswer.of(hex(due.nonce()), chunk)), first);

        assertThat(result.outcome()).isEqualTo(AuditResult.Outcome.PASSED);
        assertThat(result.provenSince()).isEqualTo(T0);
        assertThat(result.bytes()).isEqualTo(chunk.length);
        AuditedCopy copy = book.copy(id, holder).orElseThrow();
        assertThat(copy.provenAt()).isEqualTo(first);
        assertThat(copy.dueAt()).isBetween(first.plus(Duration.ofMinutes(30)), first.plus(Duration.ofMinutes(90)));

        Instant second = first.plus(Duration.ofHours(2));
        DueAudit next = book.nextDue(second, 10).getFirst();
        assertThat(book.record(next, AuditReply.digest(AuditAnswer.of(hex(next.nonce()), chunk)), second).provenSince())
                .isEqualTo(first);
        assertThat(book.reputation(holder, second).passed()).isEqualTo(2);
        assertThat(book.reputation(holder, second).score()).isEqualTo(1.0);
    }

    @Test
    void aWrongDigestLosesTheCopyAndTheHoldersTrust() {
        book.place(id, holder, chunk.length, Challenge.create(chunk, 4), T0);
        Instant at = T0.plus(Duration.ofHours(2));
        DueAudit due = book.nextDue(at, 10).getFirst();
        byte[] other = chunk.clone();
        other[69_999] ^= 1; // one flipped bit at the very end

        AuditResult result = book.record(due, AuditReply.digest(AuditAnswer.of(hex(due.nonce()), other)), at);

        assertThat(result.outcome()).isEqualTo(AuditResult.Outcome.FAILED);
        assertThat(result.lost()).isTrue();
        assertThat(book.lost(10)).singleElement().satisfies(c -> {
            assertThat(c.chunk()).isEqualTo(id);
            assertThat(c.holder()).isEqualTo(holder);
            assertThat(c.challengesLeft()).isZero();
        });
        assertThat(book.nextDue(at.plus(Duration.ofDays(2)), 10)).as("a lost copy is not audited").isEmpty();
        Reputation reputation = book.reputation(holder, at);
        assertThat(reputation.failed()).isEqualTo(1);
        assertThat(reputation.score()).isCloseTo(1.0 / 6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(reputation.trusted()).isFalse();

        book.forget(id, holder);
        assertThat(book.lost(10)).isEmpty();
        assertThat(book.copies(id)).isEmpty();
    }

    @Test
    void garbageAnswersAreWrongAnswers() {
        book.place(id, holder, chunk.length, Challenge.create(chunk, 4), T0);
        Instant at = T0.plus(Duration.ofHours(2));

        assertThat(book.record(book.nextDue(at, 1).getFirst(), AuditReply.digest("not hex at all"), at).outcome())
                .isEqualTo(AuditResult.Outcome.FAILED);
    }

    @Test
    void notHeldIsMissingAndSoIsSilenceThreeTimesInARow() {
        CellId other = cell(2);
        book.place(id, holder, chunk.length, Challenge.create(chunk, 8), T0);
        book.place(id, other, chunk.length, Challenge.create(chunk, 8), T0);
        Instant at = T0.plus(Duration.ofHours(2));

        for (DueAudit due : book.nextDue(at, 10)) {
            AuditResult result = book.record(due, due.holder().equals(holder) ? AuditReply.notHeld()
                    : AuditReply.unreachable(), at);
            assertThat(result.outcome()).isEqualTo(due.holder().equals(holder) ? AuditResult.Outcome.MISSING
                    : AuditResult.Outcome.UNANSWERED);
        }
        assertThat(book.reputation(holder, at).missing()).isEqualTo(1);
        assertThat(book.reputation(holder, at).score()).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(book.reputation(other, at).score()).as("silence alone does not cost trust yet").isEqualTo(1.0);

        at = at.plus(Duration.ofMinutes(5));
        assertThat(book.record(book.nextDue(at, 10).getFirst(), AuditReply.unreachable(), at).outcome())
                .isEqualTo(AuditResult.Outcome.UNANSWERED);
        at = at.plus(Duration.ofMinutes(5));
        assertThat(book.record(book.nextDue(at, 10).getFirst(), AuditReply.unreachable(), at).outcome())
                .isEqualTo(AuditResult.Outcome.MISSING);
        assertThat(book.lost(10)).extracting(AuditedCopy::holder).containsExactlyInAnyOrder(holder, other);
    }

    @Test
    void anAnswerAfterSilenceResetsTheCount() {
        book.place(id, holder, chunk.length, Challenge.create(chunk, 8), T0);
        Instant at = T0.plus(Duration.ofHours(2));
        for (int i = 0; i < 2; i++) {
            book.record(book.nextDue(at, 1).getFirst(), AuditReply.unreachable(), at);
            at = at.plus(Duration.ofMinutes(5));
        }
        DueAudit due = book.nextDue(at, 1).getFirst();
        assertThat(book.record(due, AuditReply.digest(AuditAnswer.of(hex(due.nonce()), chunk)), at).outcome())
                .isEqualTo(AuditResult.Outcome.PASSED);
        at = at.plus(Duration.ofHours(2));
        book.record(book.nextDue(at, 1).getFirst(), AuditReply.unreachable(), at);
        assertThat(book.copy(id, holder).orElseThrow().lost()).isFalse();
    }

    @Test
    void failuresFadeWithTheHalfLife() {
        book.place(id, holder, chunk.length, Challenge.create(chunk, 1), T0);
        Instant at = T0.plus(Duration.ofHours(2));
        book.record(book.nextDue(at, 1).getFirst(), AuditReply.notHeld(), at);
        double now = book.reputation(holder, at).score();
        double later = book.reputation(holder, at.plus(Duration.ofDays(10))).score();
        double muchLater = book.reputation(holder, at.plus(Duration.ofDays(100))).score();

        assertThat(now).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(later).isCloseTo(1.0 / 2, org.assertj.core.data.Offset.offset(1e-9)); // fail weight 2 → 1
        assertThat(muchLater).isGreaterThan(0.99);
        assertThat(book.reputations(at)).extracting(Reputation::peer).containsExactly(holder);
    }

    @Test
    void placingALostCopyAgainStartsItAfreshAndChallengesAreCapped() {
        book.place(id, holder, chunk.length, Challenge.create(chunk, 2), T0);
        Instant at = T0.plus(Duration.ofHours(2));
        book.record(book.nextDue(at, 1).getFirst(), AuditReply.notHeld(), at);
        assertThat(book.copy(id, holder).orElseThrow().lost()).isTrue();

        book.place(id, holder, chunk.length, Challenge.create(chunk, 16), at);
        book.place(id, holder, chunk.length, Challenge.create(chunk, 16), at);

        AuditedCopy copy = book.copy(id, holder).orElseThrow();
        assertThat(copy.lost()).isFalse();
        assertThat(copy.placedAt()).isEqualTo(at);
        assertThat(copy.provenAt()).isEqualTo(at);
        assertThat(copy.challengesLeft()).isEqualTo(Challenge.MAX_PER_COPY);
    }

    @Test
    void rejectsOutOfRangeLimitsAndChallengeCounts() {
        assertThatThrownBy(() -> book.nextDue(T0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> book.nextDue(T0, AuditBook.MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Challenge.create(chunk, 17)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Challenge("AB".repeat(32), "00".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAnswerIsTheHashOfNonceThenChunkAndStreamsAlike() throws Exception {
        byte[] nonce = bytes(32, 9);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(nonce);
        sha.update(chunk);
        String expected = java.util.HexFormat.of().formatHex(sha.digest());

        assertThat(AuditAnswer.of(nonce, chunk)).isEqualTo(expected);
        assertThat(AuditAnswer.of(nonce, new java.io.ByteArrayInputStream(chunk))).isEqualTo(expected);
    }

    static CellId cell(int seed) {
        return CellId.ofPublicKey(bytes(32, 1000 + seed));
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static ChunkId idOf(byte[] bytes) throws RuntimeException {
        try {
            return ChunkId.ofDigest(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
