package io.grove.api.transport;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

/** The slices an in-memory body is sent in: every byte once, in order, as requested, without copying the array. */
class HeapBodyTest {
    private static final byte[] DATA = new byte[HeapBody.SLICE_BYTES * 3 + 1234];

    static {
        new Random(7).nextBytes(DATA);
    }

    @Test
    void publishesEveryByteInOrderOneSliceAtATimeEvenWhenRequestedFromOnNext() {
        Recorder r = new Recorder(1, 1);
        new HeapBody(DATA).unread().subscribe(r);
        assertThat(r.bytes()).isEqualTo(DATA);
        assertThat(r.slices).hasSize(4);
        assertThat(r.slices).allSatisfy(b -> assertThat(b.isReadOnly()).isTrue());
        assertThat(r.completed).isEqualTo(1);
        assertThat(r.maxDepth).as("no recursion through onNext").isEqualTo(1);
    }

    @Test
    void waitsForDemandAndCompletesOnce() {
        Recorder r = new Recorder(0, 0);
        new HeapBody(DATA).unread().subscribe(r);
        assertThat(r.slices).isEmpty();
        r.subscription.request(2);
        assertThat(r.slices).hasSize(2);
        assertThat(r.completed).isZero();
        r.subscription.request(Long.MAX_VALUE);
        r.subscription.request(Long.MAX_VALUE); // demand saturates instead of overflowing
        assertThat(r.bytes()).isEqualTo(DATA);
        assertThat(r.completed).isEqualTo(1);
        r.subscription.request(5);
        assertThat(r.completed).isEqualTo(1);
    }

    @Test
    void sendsOnlyWhatIsUnreadAndLeavesTheArrayAlone() throws Exception {
        byte[] copy = DATA.clone();
        HeapBody body = new HeapBody(copy);
        assertThat(body.readNBytes(100)).isEqualTo(java.util.Arrays.copyOf(DATA, 100));
        Recorder r = new Recorder(Long.MAX_VALUE, 0);
        body.unread().subscribe(r);
        assertThat(r.bytes()).isEqualTo(java.util.Arrays.copyOfRange(DATA, 100, DATA.length));
        assertThat(copy).isEqualTo(DATA);
    }

    @Test
    void stopsWhenCancelledAndRefusesABadRequestOrASecondSubscriber() {
        Recorder r = new Recorder(0, 0);
        Flow.Publisher<ByteBuffer> publisher = new HeapBody(DATA).unread();
        publisher.subscribe(r);
        r.subscription.request(1);
        r.subscription.cancel();
        r.subscription.request(10);
        assertThat(r.slices).hasSize(1);
        assertThat(r.completed).isZero();

        Recorder bad = new Recorder(0, 0);
        new HeapBody(DATA).unread().subscribe(bad);
        bad.subscription.request(0);
        assertThat(bad.error).isInstanceOf(IllegalArgumentException.class);
        bad.subscription.request(1);
        assertThat(bad.slices).isEmpty();

        Recorder second = new Recorder(1, 0);
        publisher.subscribe(second);
        assertThat(second.error).isInstanceOf(IllegalStateException.class);
        assertThat(second.slices).isEmpty();
    }

    @Test
    void aBadRequestFromOnNextEndsThePublishingAfterThatItem() {
        Recorder r = new Recorder(5, -1);
        new HeapBody(DATA).unread().subscribe(r);
        assertThat(r.slices).hasSize(1);
        assertThat(r.error).isInstanceOf(IllegalArgumentException.class);
        assertThat(r.completed).isZero();
    }

    @Test
    void anEmptyBodyCompletesAtOnce() {
        Recorder r = new Recorder(1, 0);
        new HeapBody(new byte[0]).unread().subscribe(r);
        assertThat(r.slices).isEmpty();
        assertThat(r.completed).isEqualTo(1);
    }

    private static final class Recorder implements Flow.Subscriber<ByteBuffer> {
        private final long initial;
        private final long onNextRequest;
        final List<ByteBuffer> slices = new ArrayList<>();
        Flow.Subscription subscription;
        int completed;
        Throwable error;
        int depth;
        int maxDepth;

        /** Requests {@code initial} items when subscribed, and {@code onNextRequest} (unless 0) in each onNext. */
        Recorder(long initial, long onNextRequest) {
            this.initial = initial;
            this.onNextRequest = onNextRequest;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (initial > 0) {
                s.request(initial);
            }
        }

        @Override
        public void onNext(ByteBuffer item) {
            depth++;
            maxDepth = Math.max(maxDepth, depth);
            slices.add(item);
            if (onNextRequest != 0) {
                subscription.request(onNextRequest);
            }
            depth--;
        }

        @Override
        public void onError(Throwable t) {
            assertThat(depth).as("no signal while another is delivered").isZero();
            error = t;
        }

        @Override
        public void onComplete() {
            completed++;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (ByteBuffer b : slices) {
                byte[] a = new byte[b.remaining()];
                b.duplicate().get(a);
                out.writeBytes(a);
            }
            return out.toByteArray();
        }
    }
}
