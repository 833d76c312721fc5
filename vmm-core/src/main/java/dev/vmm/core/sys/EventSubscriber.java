package dev.vmm.core.sys;

/**
 * Work an {@link EventLoop} runs, rust-vmm event-manager's {@code MutEventSubscriber}: it registers its
 * fds in {@link #init} and handles their readiness in {@link #process}, both on the loop's thread, so a
 * subscriber needs no locking of its own against the loop. It owns its fds: the loop never closes them.
 * An exception from either method removes the subscriber (its fds leave the loop) and is reported to the
 * loop's {@link EventLoop.FailureListener}; the loop goes on.
 */
public interface EventSubscriber {
    /** Called once, when the subscriber joins the loop. */
    void init(EventOps ops);

    /** Called for each ready fd the subscriber registered. */
    void process(ReadyEvent event, EventOps ops);
}
