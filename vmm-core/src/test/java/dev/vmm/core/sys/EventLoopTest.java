package dev.vmm.core.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopTest {
    private final BlockingQueue<String> log = new LinkedBlockingQueue<>();
    private final List<Map.Entry<EventSubscriber, RuntimeException>> failures = new ArrayList<>();
    private final EventLoop loop = new EventLoop("test-loop", (s, e) -> {
        failures.add(Map.entry(s, e));
        log.add("failed " + s + ": " + e.getMessage());
    });
    private final List<EventFd> fds = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        loop.close();
        fds.forEach(EventFd::close);
    }

    private EventFd eventFd() {
        EventFd e = new EventFd(EventFd.EFD_NONBLOCK);
        fds.add(e);
        return e;
    }

    private String next() throws InterruptedException {
        String s = log.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a callback within 10 s").isNotNull();
        return s;
    }

    /** Returns once every change asked for so far ran: queued changes run in order, this one last. */
    private void settle() throws InterruptedException {
        CountDownLatch joined = new CountDownLatch(1);
        EventSubscriber marker = new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
                joined.countDown();
            }

            @Override
            public void process(ReadyEvent event, EventOps ops) {}
        };
        loop.add(marker);
        assertThat(joined.await(10, TimeUnit.SECONDS)).isTrue();
        loop.remove(marker);
    }

    /** Watches one eventfd; each readiness drains it and logs "name=count". */
    private class Counter implements EventSubscriber {
        final String name;
        final EventFd fd;

        Counter(String name, EventFd fd) {
            this.name = name;
            this.fd = fd;
        }

        @Override
        public void init(EventOps ops) {
            ops.add(fd.fd(), Epoll.EPOLLIN);
        }

        @Override
        public void process(ReadyEvent event, EventOps ops) {
            assertThat(event.fd()).isSameAs(fd.fd());
            log.add(name + "=" + fd.read());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A subscriber whose first event holds the loop until released: what becomes ready meanwhile queues up. */
    private class Gate extends Counter {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Gate(EventFd fd) {
            super("gate", fd);
        }

        @Override
        public void process(ReadyEvent event, EventOps ops) {
            super.process(event, ops);
            entered.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        void hold() throws InterruptedException {
            fd.write(1);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anEventfdWriteReachesItsSubscriberOnTheLoopThread() throws Exception {
        EventFd fd = eventFd();
        loop.add(new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
                log.add("init on " + Thread.currentThread().getName());
                ops.add(fd.fd(), Epoll.EPOLLIN);
            }

            @Override
            public void process(ReadyEvent event, EventOps ops) {
                log.add((event.readable() ? "readable " : "") + fd.read() + " on " + Thread.currentThread().getName());
            }
        });
        assertThat(next()).isEqualTo("init on test-loop");
        fd.write(5);
        assertThat(next()).isEqualTo("readable 5 on test-loop");
        fd.write(2);
        assertThat(next()).isEqualTo("readable 2 on test-loop");
        assertThat(log.poll(50, TimeUnit.MILLISECONDS)).as("a drained eventfd is not ready").isNull();
    }

    @Test
    void fdsComeInTheOrderTheyBecameReady() throws Exception {
        Gate gate = new Gate(eventFd());
        EventFd a = eventFd();
        EventFd b = eventFd();
        EventFd c = eventFd();
        for (EventSubscriber s : List.of(gate, new Counter("a", a), new Counter("b", b), new Counter("c", c))) {
            loop.add(s);
        }
        settle();
        gate.hold();
        b.write(1);
        c.write(2);
        a.write(3);
        gate.release.countDown();
        // epoll's ready list is FIFO (fs/eventpoll.c: ep_poll_callback appends with list_add_tail).
        assertThat(List.of(next(), next(), next(), next())).containsExactly("gate=1", "b=1", "c=2", "a=3");
    }

    @Test
    void aSubscriberRemovedDuringARoundGetsNoEventFromIt() throws Exception {
        Gate gate = new Gate(eventFd());
        EventFd victimFd = eventFd();
        Counter victim = new Counter("victim", victimFd);
        EventFd remover = eventFd();
        EventFd own1 = eventFd();
        EventFd own2 = eventFd();
        loop.add(gate);
        loop.add(victim);
        loop.add(new Counter("remover", remover) {
            boolean done;

            @Override
            public void process(ReadyEvent event, EventOps ops) {
                super.process(event, ops);
                if (!done) {
                    loop.remove(victim);
                    done = true;
                }
            }
        });
        loop.add(new EventSubscriber() {
            @Override
            public void init(EventOps ops) {
                ops.add(own1.fd(), Epoll.EPOLLIN);
                ops.add(own2.fd(), Epoll.EPOLLIN);
            }

            @Override
            public void process(ReadyEvent event, EventOps ops) {
                if (event.fd() == own1.fd()) {
                    log.add("own1=" + own1.read());
                    ops.remove(own2.fd());     // its readiness, collected in this round, is dropped
                } else {
                    log.add("own2=" + own2.read());
                }
            }
        });
        settle();
        gate.hold();
        remover.write(1);
        victimFd.write(1);
        own1.write(1);
        own2.write(1);
        gate.release.countDown();
        assertThat(List.of(next(), next(), next())).containsExactly("gate=1", "remover=1", "own1=1");
        victimFd.write(1);
        own2.write(1);
        remover.write(1);
        assertThat(next()).as("the loop goes on, without the removed ones").isEqualTo("remover=1");
        assertThat(log.poll(50, TimeUnit.MILLISECONDS)).isNull();
        assertThatThrownBy(() -> loop.remove(victim)).hasMessage("victim is not on test-loop");
    }

    @Test
    void aSubscriberRemovedOnTheLoopBeforeItsQueuedAddRanNeverJoins() throws Exception {
        Counter late = new Counter("late", eventFd()) {
            @Override
            public void init(EventOps ops) {
                log.add("late joined");
            }
        };
        Gate gate = new Gate(eventFd()) {
            @Override
            public void process(ReadyEvent event, EventOps ops) {
                super.process(event, ops);
                loop.remove(late);     // on the loop thread, while late's add waits in the queue
                log.add("removed late");
            }
        };
        loop.add(gate);
        settle();
        gate.hold();
        loop.add(late);
        gate.release.countDown();
        assertThat(List.of(next(), next())).containsExactly("gate=1", "removed late");
        settle();
        assertThat(log.poll(50, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aThrowingSubscriberIsReportedAndRemovedWhileTheOthersGoOn() throws Exception {
        EventFd bad = eventFd();
        EventFd good = eventFd();
        Counter thrower = new Counter("thrower", bad) {
            @Override
            public void process(ReadyEvent event, EventOps ops) {
                throw new IllegalStateException("device broke");
            }
        };
        loop.add(thrower);
        loop.add(new Counter("good", good));
        loop.add(new Counter("init-thrower", eventFd()) {
            @Override
            public void init(EventOps ops) {
                throw new IllegalArgumentException("bad config");
            }
        });
        assertThat(next()).isEqualTo("failed init-thrower: bad config");
        bad.write(1);
        assertThat(next()).isEqualTo("failed thrower: device broke");
        assertThat(failures).extracting(Map.Entry::getKey).element(1).isSameAs(thrower);
        assertThat(bad.fd().isOpen()).as("the subscriber's fd is its own").isTrue();
        good.write(4);
        assertThat(next()).isEqualTo("good=4");
        assertThat(log.poll(50, TimeUnit.MILLISECONDS)).as("the thrower's fd left the loop, still readable").isNull();
        loop.add(thrower);                 // removed, so it may come back
        assertThat(next()).isEqualTo("failed thrower: device broke");
    }

    @Test
    void closeStopsTheLoopAndClosesItsOwnFdsOnly() throws Exception {
        EventFd mine = eventFd();
        Counter c = new Counter("c", mine);
        loop.add(c);
        mine.write(1);
        assertThat(next()).isEqualTo("c=1");
        Fd epoll = loop.epollFd();
        loop.close();
        assertThat(loop.isRunning()).isFalse();
        assertThat(epoll.isOpen()).isFalse();
        assertThat(mine.fd().isOpen()).isTrue();
        assertThatThrownBy(() -> loop.add(new Counter("late", eventFd()))).hasMessage("test-loop is closed");
        loop.remove(c);
        loop.close();
    }

    @Test
    void opsOutsideTheCallbacksAndDoubleAddsAreRefused() throws Exception {
        EventFd fd = eventFd();
        EventOps[] kept = new EventOps[1];
        Counter c = new Counter("c", fd) {
            @Override
            public void init(EventOps ops) {
                super.init(ops);
                kept[0] = ops;
                log.add("joined");
            }
        };
        loop.add(c);
        assertThat(next()).isEqualTo("joined");
        assertThatThrownBy(() -> kept[0].remove(fd.fd())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("used outside its callbacks");
        assertThatThrownBy(() -> loop.add(c)).hasMessage("c is already on test-loop");
        EventFd other = eventFd();
        loop.add(new Counter("twice", other) {
            @Override
            public void init(EventOps ops) {
                ops.add(other.fd(), Epoll.EPOLLIN);
                ops.add(other.fd(), Epoll.EPOLLIN);
            }
        });
        assertThat(next()).startsWith("failed twice: ").endsWith("is already registered by twice");
        loop.add(new Counter("poacher", fd));
        assertThat(next()).as("another subscriber's fd").startsWith("failed poacher: epoll_ctl(EPOLL_CTL_ADD): EEXIST");
    }
}
