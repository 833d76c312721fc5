package dev.vmm.core.assist;

/**
 * Guest-physical memory as the emulation assist sees it. The implementation (guest RAM) refuses any
 * access outside guest memory with an exception; the assist never touches host memory directly.
 */
public interface PhysicalMemory {
    void read(long gpa, byte[] dst, int offset, int length);

    void write(long gpa, byte[] src, int offset, int length);
}
