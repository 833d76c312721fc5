package dev.vmm.devices.pci;

/** A function that is only its configuration space: no BARs, no side effects of writes. */
public class SimplePciFunction implements PciFunction {
    private final String name;
    protected final PciConfigSpace config;

    public SimplePciFunction(String name, PciConfigSpace config) {
        this.name = name;
        this.config = config;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized int readConfig(int offset, int size) {
        return config.read(offset, size);
    }

    @Override
    public synchronized void writeConfig(int offset, int size, int value) {
        config.write(offset, size, value);
    }

    /**
     * The i440FX host bridge at 00:00.0 (QEMU's 8086:1237 rev 2). OVMF reads its device id to tell an
     * i440FX machine (DID 0x1237) from Q35 (0x29C0): i440FX needs only configuration mechanism #1, no
     * ECAM window, no SMM and a three-register PM function, which is why this machine is one.
     */
    public static SimplePciFunction i440fxHostBridge() {
        return new SimplePciFunction("i440FX host bridge", new PciConfigSpace(0x8086, 0x1237, 0x02, 0x060000, 0));
    }

    /**
     * The PIIX3 ISA bridge at 00:01.0 (8086:7000). Class 06/01 is what makes OVMF's BDS connect COM1 as
     * the console; the multi-function bit makes PciBusDxe scan 00:01.1-7, where the PM function is.
     * The PIRQ routing registers 0x60-0x63 take OVMF's writes (routing lives in the in-kernel PIC).
     */
    public static SimplePciFunction piix3IsaBridge() {
        PciConfigSpace c = new PciConfigSpace(0x8086, 0x7000, 0x00, 0x060100, PciConfigSpace.HEADER_MULTI_FUNCTION);
        c.set(0x60, 4, 0x80808080);     // PIRQ A-D routing: disabled until programmed
        c.writable(0x60, 4, 0xffffffff);
        return new SimplePciFunction("PIIX3 ISA bridge", c);
    }
}
