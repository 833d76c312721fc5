package dev.vmm.devices.bus;

/** A device placement the bus refuses (overlap, zero length, overflow). */
public class BusException extends RuntimeException {
    public BusException(String message) {
        super(message);
    }
}
