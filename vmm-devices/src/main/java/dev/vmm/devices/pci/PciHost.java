package dev.vmm.devices.pci;

import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * PCI configuration mechanism #1 for bus 0: CONFIG_ADDRESS at 0xCF8 (32-bit: enable bit 31, bus 23:16,
 * device 15:11, function 10:8, register 7:2) and CONFIG_DATA at 0xCFC-0xCFF, any width; the byte
 * offset is the register plus the data port's offset. Absent functions read all-ones.
 */
public final class PciHost {
    public static final int CONFIG_ADDRESS_PORT = 0xcf8;
    public static final int CONFIG_DATA_PORT = 0xcfc;

    private final Map<Integer, PciFunction> functions = new TreeMap<>();
    private int address;

    /** Places {@code function} at 00:{@code device}.{@code fn}. */
    public synchronized void add(int device, int fn, PciFunction function) {
        int key = device << 3 | fn;
        if (device < 0 || device > 31 || fn < 0 || fn > 7 || functions.containsKey(key)) {
            throw new IllegalArgumentException(String.format("PCI 00:%02x.%x is taken or invalid", device, fn));
        }
        functions.put(key, function);
    }

    public synchronized Map<Integer, PciFunction> functions() {
        return Map.copyOf(functions);
    }

    /** The CONFIG_ADDRESS register (4 bytes at 0xCF8); narrower accesses go nowhere. */
    public BusDevice addressPort() {
        return addressPort(null);
    }

    /**
     * CONFIG_ADDRESS, with the PIIX3 reset control register sharing its range as on a PC: 32-bit
     * accesses at 0xCF8 are the address, byte accesses at 0xCF9 go to {@code resetControl}.
     */
    public BusDevice addressPort(BusDevice resetControl) {
        return new BusDevice() {
            @Override
            public void read(long offset, MemorySegment data) {
                if (offset == 1 && data.byteSize() == 1 && resetControl != null) {
                    resetControl.read(0, data);
                    return;
                }
                synchronized (PciHost.this) {
                    IoData.set(data, offset == 0 && data.byteSize() == 4 ? address : -1);
                }
            }

            @Override
            public void write(long offset, MemorySegment data) {
                if (offset == 1 && data.byteSize() == 1 && resetControl != null) {
                    resetControl.write(0, data);
                } else if (offset == 0 && data.byteSize() == 4) {
                    synchronized (PciHost.this) {
                        address = (int) IoData.get(data) & 0x80fffffc;
                    }
                }
            }
        };
    }

    /** CONFIG_DATA (0xCFC-0xCFF). */
    public BusDevice dataPort() {
        return new BusDevice() {
            @Override
            public void read(long offset, MemorySegment data) {
                PciFunction f = target();
                int reg = register((int) offset);
                IoData.set(data, f == null ? -1L : f.readConfig(reg, (int) data.byteSize()) & 0xffffffffL);
            }

            @Override
            public void write(long offset, MemorySegment data) {
                PciFunction f = target();
                if (f != null) {
                    f.writeConfig(register((int) offset), (int) data.byteSize(), (int) IoData.get(data));
                }
            }
        };
    }

    private synchronized int register(int dataOffset) {
        return (address & 0xfc) + dataOffset;
    }

    /** The addressed function on bus 0, or null (disabled, other bus, nothing there). */
    private synchronized PciFunction target() {
        if ((address & 0x80000000) == 0 || (address >> 16 & 0xff) != 0) {
            return null;
        }
        return functions.get(address >> 8 & 0xff);
    }
}
