package dev.vmm.core.sys;

/**
 * What a subscriber may do with its registrations, from {@link EventSubscriber#init} or
 * {@link EventSubscriber#process} only (on the loop thread; elsewhere it throws). Interest is a mask of
 * {@link Epoll#EPOLLIN}, {@link Epoll#EPOLLOUT}...; registrations are level-triggered.
 */
public interface EventOps {
    void add(Fd fd, int interest);

    void modify(Fd fd, int interest);

    /** Stops watching {@code fd}; a readiness of it already collected in this round is dropped. */
    void remove(Fd fd);
}
