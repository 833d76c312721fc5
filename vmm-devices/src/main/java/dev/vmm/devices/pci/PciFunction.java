package dev.vmm.devices.pci;

/** A PCI function on bus 0: its configuration space, as configuration cycles reach it. */
public interface PciFunction {
    /** Human-readable, for logs and the machine description. */
    String name();

    int readConfig(int offset, int size);

    void writeConfig(int offset, int size, int value);
}
