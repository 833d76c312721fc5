package dev.vmm.core.sys;

/** One fd a subscriber registered, ready: {@code events} holds the EPOLL* bits that fired. */
public record ReadyEvent(Fd fd, int events) {
    public boolean readable() {
        return (events & Epoll.EPOLLIN) != 0;
    }

    public boolean writable() {
        return (events & Epoll.EPOLLOUT) != 0;
    }

    /** EPOLLERR or EPOLLHUP: the fd will not become ready in the ordinary way again. */
    public boolean failed() {
        return (events & (Epoll.EPOLLERR | Epoll.EPOLLHUP)) != 0;
    }
}
