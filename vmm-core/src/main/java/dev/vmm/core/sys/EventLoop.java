package dev.vmm.core.sys;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An epoll loop on a thread of its own, where device work runs (rust-vmm event-manager; Firecracker's
 * one event loop): subscribers register fds and are called back with their readiness on this thread.
 *
 * <p>Subscribers are added and removed from any thread. From the loop's own thread (inside a callback)
 * the change is immediate: a removed subscriber gets no further event, not even one already collected
 * by the same epoll_wait. From another thread it is queued, the loop is woken through an eventfd, and
 * queued changes run in the order they were asked for, after the events of the current round.
 *
 * <p>Each registration carries a fresh token as its epoll data, never the fd number: a registration
 * removed mid-round cannot be mistaken for a new one on a reused fd.
 */
public final class EventLoop implements AutoCloseable {
    /** Told, on the loop thread, that a subscriber threw; it has been removed already. */
    @FunctionalInterface
    public interface FailureListener {
        void failed(EventSubscriber subscriber, RuntimeException cause);
    }

    private static final System.Logger LOG = System.getLogger("vmm.eventloop");
    private static final int BATCH = 64;
    private static final long WAKE_TOKEN = 0;

    private final Epoll epoll = new Epoll();
    private final EventFd wake = new EventFd(EventFd.EFD_NONBLOCK);
    private final FailureListener onFailure;
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    /** Subscribers added and not removed, for the callers' checks; guarded by itself. */
    private final Map<EventSubscriber, Boolean> members = new IdentityHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;

    // Loop thread only.
    private final Map<EventSubscriber, Member> joined = new IdentityHashMap<>();
    private final Map<Long, Registration> byToken = new HashMap<>();
    private long nextToken = WAKE_TOKEN + 1;

    private record Registration(Member member, Fd fd) {}

    /** Starts the loop on a daemon thread called {@code name}. */
    public EventLoop(String name, FailureListener onFailure) {
        this.onFailure = onFailure;
        epoll.add(wake.fd(), Epoll.EPOLLIN, WAKE_TOKEN);
        thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
        thread.start();
    }

    /** Adds {@code subscriber}; its {@link EventSubscriber#init} runs on the loop thread. */
    public void add(EventSubscriber subscriber) {
        synchronized (members) {
            if (stopping) {
                throw new IllegalStateException(thread.getName() + " is closed");
            }
            if (members.put(subscriber, Boolean.TRUE) != null) {
                throw new IllegalArgumentException(subscriber + " is already on " + thread.getName());
            }
        }
        onLoop(() -> join(subscriber));
    }

    /** Removes {@code subscriber} and its registrations; its fds stay open (they are its own). */
    public void remove(EventSubscriber subscriber) {
        synchronized (members) {
            if (members.remove(subscriber) == null) {
                throw new IllegalArgumentException(subscriber + " is not on " + thread.getName());
            }
            if (stopping) {
                return;          // the loop is gone, and its epoll fd with every registration
            }
        }
        onLoop(() -> {
            Member m = joined.get(subscriber);
            if (m != null) {
                leave(m);
            }
        });
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops the loop, waits for its thread, closes the epoll fd and the wake-up eventfd. */
    @Override
    public void close() throws InterruptedException {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException(thread.getName() + ": close() from a subscriber would wait for itself");
        }
        synchronized (members) {
            stopping = true;
        }
        if (wake.fd().isOpen()) {
            wake.write(1);
        }
        thread.join();
        epoll.close();
        wake.close();
    }

    Fd epollFd() {
        return epoll.fd();
    }

    private void onLoop(Runnable change) {
        if (Thread.currentThread() == thread) {
            change.run();
            return;
        }
        synchronized (members) {     // close() sets stopping under this lock, and closes wake only after
            if (!stopping) {
                pending.add(change);
                wake.write(1);
            }
        }
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            Epoll.Ready ready = new Epoll.Ready(arena, BATCH);
            while (!stopping) {
                int n = epoll.await(ready, -1);
                for (int i = 0; i < n; i++) {
                    long token = ready.token(i);
                    if (token == WAKE_TOKEN) {
                        wake.read();
                        continue;
                    }
                    Registration r = byToken.get(token);
                    if (r != null) {     // null: removed earlier in this round
                        ReadyEvent event = new ReadyEvent(r.fd(), ready.events(i));
                        call(r.member(), () -> r.member().subscriber.process(event, r.member()));
                    }
                }
                for (Runnable change; (change = pending.poll()) != null; ) {
                    change.run();
                }
            }
        }
    }

    private void join(EventSubscriber subscriber) {
        synchronized (members) {
            // Removed (from this thread, at once) before this queued join ran, or joined by an earlier one.
            if (!members.containsKey(subscriber) || joined.containsKey(subscriber)) {
                return;
            }
        }
        Member m = new Member(subscriber);
        joined.put(subscriber, m);
        call(m, () -> subscriber.init(m));
    }

    private void call(Member m, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            if (joined.get(m.subscriber) == m) {
                leave(m);
                synchronized (members) {
                    members.remove(m.subscriber);
                }
            }
            try {
                onFailure.failed(m.subscriber, e);
            } catch (RuntimeException listenerFailure) {
                LOG.log(System.Logger.Level.ERROR, thread.getName() + ": failure listener threw", listenerFailure);
            }
        }
    }

    private void leave(Member m) {
        joined.remove(m.subscriber);
        for (Map.Entry<Fd, Long> e : m.tokens.entrySet()) {
            byToken.remove(e.getValue());
            if (e.getKey().isOpen()) {
                try {
                    epoll.delete(e.getKey());
                } catch (RuntimeException closedMeanwhile) {
                    // The subscriber closed the fd under us: the kernel dropped the registration with it.
                }
            }
        }
        m.tokens.clear();
    }

    /** A joined subscriber and its registrations; it is also the EventOps it is handed. */
    private final class Member implements EventOps {
        final EventSubscriber subscriber;
        final Map<Fd, Long> tokens = new IdentityHashMap<>();

        Member(EventSubscriber subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void add(Fd fd, int interest) {
            checkThread();
            if (tokens.containsKey(fd)) {
                throw new IllegalArgumentException(fd + " is already registered by " + subscriber);
            }
            long token = nextToken++;
            epoll.add(fd, interest, token);
            tokens.put(fd, token);
            byToken.put(token, new Registration(this, fd));
        }

        @Override
        public void modify(Fd fd, int interest) {
            checkThread();
            epoll.modify(fd, interest, token(fd));
        }

        @Override
        public void remove(Fd fd) {
            checkThread();
            long token = token(fd);
            tokens.remove(fd);
            byToken.remove(token);
            epoll.delete(fd);
        }

        private long token(Fd fd) {
            Long token = tokens.get(fd);
            if (token == null) {
                throw new IllegalArgumentException(fd + " is not registered by " + subscriber);
            }
            return token;
        }

        private void checkThread() {
            if (Thread.currentThread() != thread || joined.get(subscriber) != this) {
                throw new IllegalStateException("EventOps of " + subscriber + " used outside its callbacks on "
                        + thread.getName());
            }
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        synchronized (members) {
            members.keySet().forEach(s -> names.add(s.toString()));
        }
        return thread.getName() + names;
    }
}
