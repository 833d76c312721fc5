package dev.vmm.core.x86;

/** Bytes the decoder cannot turn into an instruction it knows (truncated, or not in its subset). */
public class DecodeException extends Exception {
    public DecodeException(String message) {
        super(message);
    }
}
