package dev.vmm.app.devicemanager;

/** A resource the device manager cannot hand out: exhausted, overlapping, misaligned or outside its window. */
public class AllocationException extends RuntimeException {
    public AllocationException(String message) {
        super(message);
    }
}
