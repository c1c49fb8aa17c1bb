package io.grove.api.transport;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body already in memory (a sealed chunk being pushed): read as a stream like any other body, but sent by
 * {@link PeerHttp#exchange} straight from its array, in read-only slices, instead of being copied through the HTTP
 * client's stream buffers (16 KiB arrays allocated per piece: one more copy of every pushed byte, and garbage).
 *
 * <p>The array must not change until the exchange returned.
 */
public final class HeapBody extends ByteArrayInputStream {
    /** Bytes per slice handed to the HTTP client: the size of the socket writes it then makes. */
    static final int SLICE_BYTES = 256 * 1024;

    /** A body of all of {@code data}. */
    public HeapBody(byte[] data) {
        super(data);
    }

    /** The bytes not yet read, as a publisher of read-only slices of the array. */
    synchronized Flow.Publisher<ByteBuffer> unread() {
        return new Slices(ByteBuffer.wrap(buf, pos, count - pos).asReadOnlyBuffer().slice());
    }

    /** Publishes the slices of one buffer, one per requested item; a publisher for one subscriber. */
    private static final class Slices implements Flow.Publisher<ByteBuffer> {
        private final ByteBuffer all;
        private boolean subscribed;

        Slices(ByteBuffer all) {
            this.all = all;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            synchronized (this) {
                if (subscribed) {
                    subscriber.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                        }

                        @Override
                        public void cancel() {
                        }
                    });
                    subscriber.onError(new IllegalStateException("an in-memory body is published once"));
                    return;
                }
                subscribed = true;
            }
            subscriber.onSubscribe(new Subscription(all, subscriber));
        }
    }

    /**
     * Emits on the requesting thread, in a loop rather than by recursion (a subscriber may request from onNext), and
     * never two signals at once.
     */
    private static final class Subscription implements Flow.Subscription {
        private final ByteBuffer rest;
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private long demand;
        private boolean emitting;
        private boolean ended;
        private IllegalArgumentException refused;

        Subscription(ByteBuffer all, Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.rest = all;
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (n <= 0) {
                    refused = new IllegalArgumentException("requested " + n + " items; must be positive");
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                if (emitting) {
                    return; // the loop below, further up this stack or on another thread, takes it from here
                }
                emitting = true;
            }
            while (true) {
                ByteBuffer next = null;
                Throwable failure = null;
                synchronized (this) {
                    if (ended) {
                        emitting = false;
                        return;
                    }
                    if (refused != null) {
                        failure = refused;
                        ended = true;
                    } else if (!rest.hasRemaining()) {
                        ended = true;
                    } else if (demand == 0) {
                        emitting = false;
                        return;
                    } else {
                        demand--;
                        int size = Math.min(SLICE_BYTES, rest.remaining());
                        next = rest.slice(rest.position(), size);
                        rest.position(rest.position() + size);
                    }
                    if (next == null) {
                        emitting = false;
                    }
                }
                if (failure != null) {
                    subscriber.onError(failure);
                    return;
                }
                if (next == null) {
                    subscriber.onComplete();
                    return;
                }
                subscriber.onNext(next);
            }
        }

        @Override
        public synchronized void cancel() {
            ended = true;
        }
    }
}
