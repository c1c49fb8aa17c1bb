package io.grove.runtime.events;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cell's live events: publishers never block, each subscriber has a bounded queue, and a subscriber that falls
 * behind loses the oldest events (it sees a gap in {@link Event#seq()} and can reload its view). The newest
 * {@value #RECENT} events are kept so that a client that reconnects can ask for what it missed
 * ({@link #since(long)}). Thread-safe.
 */
public final class EventBus {
    /** Events kept for reconnecting clients. */
    public static final int RECENT = 256;
    /** Events a subscriber may have queued. */
    public static final int QUEUE = 1024;
    /** The most subscribers at once (each is a dashboard tab). */
    public static final int MAX_SUBSCRIBERS = 64;

    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayBlockingQueue<Event> recent = new ArrayBlockingQueue<>(RECENT);

    public EventBus(Clock clock) {
        this.clock = clock;
    }

    /** Publishes an event of {@code type} now; never blocks. */
    public Event publish(String type, Map<String, Object> data) {
        Event event;
        synchronized (recent) {
            event = new Event(seq.incrementAndGet(), type, clock.instant(), data);
            if (!recent.offer(event)) {
                recent.poll();
                recent.offer(event);
            }
        }
        for (Subscription s : subscribers) {
            s.offer(event);
        }
        return event;
    }

    /** The number of the newest event published (0 before the first). */
    public long latest() {
        return seq.get();
    }

    /** The kept events after {@code afterSeq}, oldest first. */
    public List<Event> since(long afterSeq) {
        synchronized (recent) {
            return recent.stream().filter(e -> e.seq() > afterSeq).toList();
        }
    }

    /**
     * Subscribes; close the subscription when done.
     *
     * @throws IllegalStateException when {@value #MAX_SUBSCRIBERS} subscribers are open
     */
    public Subscription subscribe() {
        if (subscribers.size() >= MAX_SUBSCRIBERS) {
            throw new IllegalStateException("too many live event subscribers (" + MAX_SUBSCRIBERS + ")");
        }
        Subscription s = new Subscription();
        subscribers.add(s);
        return s;
    }

    /** One subscriber's queue. */
    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);

        private void offer(Event event) {
            while (!queue.offer(event)) {
                queue.poll(); // drop the oldest: a slow client must not hold up the cell
            }
        }

        /** The next event, waiting at most {@code millis}; {@code null} when none came. */
        public Event next(long millis) throws InterruptedException {
            return queue.poll(millis, TimeUnit.MILLISECONDS);
        }

        /** Every queued event, without waiting. */
        public List<Event> drain() {
            List<Event> out = new ArrayList<>();
            queue.drainTo(out);
            return out;
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }
}
