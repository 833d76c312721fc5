package dev.vmm.core.vcpu;

/** What a device or a vCPU calls to stop the whole VM; the first reason wins. */
@FunctionalInterface
public interface StopRequester {
    void requestStop(StopReason reason);
}
