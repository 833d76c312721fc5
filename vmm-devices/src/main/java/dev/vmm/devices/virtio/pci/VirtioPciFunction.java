package dev.vmm.devices.virtio.pci;

import static dev.vmm.devices.virtio.pci.VirtioPciLayouts.*;

import dev.vmm.devices.InterruptLine;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import dev.vmm.devices.pci.BarRelocation;
import dev.vmm.devices.pci.PciBar;
import dev.vmm.devices.pci.PciConfigSpace;
import dev.vmm.devices.pci.PciFunction;
import dev.vmm.devices.virtio.DeviceStatus;
import dev.vmm.devices.virtio.VirtioDevice;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.virtio.VirtioQueues;
import dev.vmm.devices.virtio.queue.SplitQueue;
import dev.vmm.devices.virtio.queue.VirtqueueViolation;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A virtio 1.x modern PCI function (virtio 1.2, 4.1): vendor 0x1AF4, device 0x1040 + type, revision 1,
 * with the common, notify, ISR, device and PCI-access capabilities and MSI-X, all in one 64-bit memory
 * BAR (Cloud Hypervisor's layout). It negotiates features, keeps each queue's configuration until
 * DRIVER_OK, then gives the device checked {@link SplitQueue}s. Interrupts go through MSI-X when the
 * driver enabled it, else through the INTx line and the ISR. A driver that breaks the ring rules puts
 * the device in DEVICE_NEEDS_RESET, counted in {@link #violations()}; nothing it does reaches memory
 * outside guest RAM.
 *
 * <p>Queue notifications are rung on a {@link Doorbell} (the application's eventfd, the same one KVM
 * signals through an ioeventfd without any exit), and the device's work is done by
 * {@link #queueNotified} on the I/O thread that watches it, never on the vCPU that wrote the doorbell.
 */
public final class VirtioPciFunction implements PciFunction, VirtioQueues, AutoCloseable {
    /** Rings queue {@code index}'s notification: the MMIO fallback of an ioeventfd. */
    @FunctionalInterface
    public interface Doorbell {
        void ring(int index);
    }

    public static final int VENDOR = 0x1af4;
    public static final int DEVICE_BASE = 0x1040;
    /** QEMU's subsystem id; OVMF's Virtio10 driver binds only modern devices with one of at least 0x40. */
    public static final int SUBSYSTEM_ID = 0x1100;
    public static final int BAR_INDEX = 0;
    public static final long COMMON_OFFSET = 0x0000;
    public static final long ISR_OFFSET = 0x1000;
    public static final long DEVICE_OFFSET = 0x2000;
    public static final long NOTIFY_OFFSET = 0x3000;
    public static final long MSIX_TABLE_OFFSET = 0x4000;
    public static final long MSIX_PBA_OFFSET = 0x6000;
    public static final long BAR_SIZE = 0x8000;
    public static final int NOTIFY_MULTIPLIER = 4;
    private static final int REGION = 0x1000;
    private static final int MAX_QUEUES = REGION / NOTIFY_MULTIPLIER;
    private static final int CAP_START = 0x40;

    private static final System.Logger LOG = System.getLogger("vmm.virtio");

    private final VirtioDevice device;
    private final GuestMemory memory;
    private final InterruptLine intx;
    private final PciConfigSpace config;
    private final MsixTable msix;
    private final int msixCap;
    private final int pciCfgCap;
    private final long offered;
    private final int[] maxSizes;
    private final QueueConfig[] queueConfig;
    private volatile Doorbell doorbell = index -> { };
    /** Notifications that came as MMIO exits: none where the device manager wired ioeventfds. */
    private final java.util.concurrent.atomic.AtomicLong doorbellExits = new java.util.concurrent.atomic.AtomicLong();

    private int deviceFeatureSelect;
    private int driverFeatureSelect;
    private long driverFeatures;
    private int status;
    private int configGeneration;
    private int msixConfigVector = NO_VECTOR;
    private int queueSelect;
    private int isr;
    private List<SplitQueue> queues;
    private boolean broken;
    private long violations;
    private String lastViolation;

    private static final class QueueConfig {
        int size;
        int vector = NO_VECTOR;
        boolean enabled;
        long desc;
        long driver;
        long device;

        QueueConfig(int size) {
            this.size = size;
        }
    }

    /**
     * @param accessPlatform offer VIRTIO_F_ACCESS_PLATFORM (a confidential guest: its driver then bounces
     *                       buffers through shared memory)
     * @param bar            told where the guest maps the BAR (the device manager's bus and ioeventfds)
     */
    public VirtioPciFunction(VirtioDevice device, GuestMemory memory, MsiRouter router, InterruptLine intx,
                             boolean accessPlatform, BarRelocation bar) {
        this.device = device;
        this.memory = memory;
        this.intx = intx;
        this.maxSizes = device.queueMaxSizes().clone();
        if (maxSizes.length == 0 || maxSizes.length > MAX_QUEUES) {
            throw new IllegalArgumentException(device.name() + ": " + maxSizes.length + " queues, not 1-" + MAX_QUEUES);
        }
        for (int s : maxSizes) {
            if (s <= 0 || s > SplitQueue.MAX_SIZE || Integer.bitCount(s) != 1) {
                throw new IllegalArgumentException(device.name() + ": queue size " + s + " is not a power of two");
            }
        }
        if (device.configSize() > REGION) {
            throw new IllegalArgumentException(device.name() + ": " + device.configSize() + " bytes of device config");
        }
        this.offered = device.features() | VirtioFeatures.bit(VirtioFeatures.VERSION_1)
                | VirtioFeatures.bit(VirtioFeatures.RING_INDIRECT_DESC) | VirtioFeatures.bit(VirtioFeatures.RING_EVENT_IDX)
                | (accessPlatform ? VirtioFeatures.bit(VirtioFeatures.ACCESS_PLATFORM) : 0);
        this.queueConfig = new QueueConfig[maxSizes.length];
        resetQueues();
        this.msix = new MsixTable(device.name(), router, maxSizes.length + 1);

        config = new PciConfigSpace(VENDOR, DEVICE_BASE + device.deviceType(), 1, device.pciClass(), 0);
        config.set(PciConfigSpace.SUBSYSTEM_VENDOR_ID, 2, VENDOR);
        config.set(PciConfigSpace.SUBSYSTEM_ID, 2, SUBSYSTEM_ID);
        config.set(INTERRUPT_PIN, 1, 1);                      // INTA#
        config.set(PciConfigSpace.STATUS, 2, STATUS_CAP_LIST);
        config.set(CAPABILITY_LIST, 1, CAP_START);
        int at = CAP_START;
        at = virtioCap(at, CAP_COMMON_CFG, COMMON_OFFSET, COMMON_CFG_SIZE, 0);
        at = virtioCap(at, CAP_NOTIFY_CFG, NOTIFY_OFFSET, (long) maxSizes.length * NOTIFY_MULTIPLIER, NOTIFY_MULTIPLIER);
        at = virtioCap(at, CAP_ISR_CFG, ISR_OFFSET, 1, 0);
        if (device.configSize() > 0) {
            at = virtioCap(at, CAP_DEVICE_CFG, DEVICE_OFFSET, device.configSize(), 0);
        }
        pciCfgCap = at;
        at = virtioCap(at, CAP_PCI_CFG, 0, 0, 0);
        // The access window's bar, offset and length are the driver's to set; the data follows them.
        config.writable(pciCfgCap + 4, 1, 0xff);
        config.writable(pciCfgCap + 8, 4, -1);
        config.writable(pciCfgCap + 12, 4, -1);
        msixCap = at;
        config.set(msixCap, 1, CAP_ID_MSIX);
        config.set(msixCap + MSIX_FLAGS, 2, msix.vectors() - 1);
        config.writable(msixCap + MSIX_FLAGS, 2, MSIX_FLAGS_ENABLE | MSIX_FLAGS_MASKALL);
        config.set(msixCap + MSIX_TABLE, 4, (int) MSIX_TABLE_OFFSET | BAR_INDEX);
        config.set(msixCap + MSIX_PBA, 4, (int) MSIX_PBA_OFFSET | BAR_INDEX);
        config.addBar(PciBar.memory64(BAR_INDEX, BAR_SIZE, false), bar);
    }

    /** Links a vendor capability after the one at {@code at - its length}; returns where the next goes. */
    private int virtioCap(int at, int type, long offset, long length, int multiplier) {
        int len = type == CAP_NOTIFY_CFG ? (int) VIRTIO_PCI_NOTIFY_CAP.byteSize()
                : type == CAP_PCI_CFG ? (int) VIRTIO_PCI_CFG_CAP.byteSize() : (int) VIRTIO_PCI_CAP.byteSize();
        int next = at + ((len + 3) & ~3);
        config.set(at, 1, CAP_ID_VNDR);
        config.set(at + 1, 1, next);
        config.set(at + 2, 1, len);
        config.set(at + 3, 1, type);
        config.set(at + 4, 1, BAR_INDEX);
        config.set(at + 8, 4, (int) offset);
        config.set(at + 12, 4, (int) length);
        if (type == CAP_NOTIFY_CFG) {
            config.set(at + 16, 4, multiplier);
        }
        return next;
    }

    @Override
    public String name() {
        return device.name();
    }

    public VirtioDevice device() {
        return device;
    }

    public void doorbell(Doorbell d) {
        doorbell = d;
    }

    /** Asks the I/O thread to process queue {@code index}, as a notification would (host-side input). */
    public void wake(int index) {
        if (index >= 0 && index < maxSizes.length) {
            doorbell.ring(index);
        }
    }

    /** The BAR offset of queue {@code index}'s notification register. */
    public static long notifyOffset(int index) {
        return NOTIFY_OFFSET + (long) index * NOTIFY_MULTIPLIER;
    }

    public int queueCount() {
        return maxSizes.length;
    }

    public synchronized int status() {
        return status;
    }

    /** How often the driver broke the ring rules; each time the device asked for a reset. */
    public synchronized long violations() {
        return violations;
    }

    public synchronized String lastViolation() {
        return lastViolation;
    }

    public long doorbellExits() {
        return doorbellExits.get();
    }

    public synchronized long interruptsDelivered() {
        return msix.delivered();
    }

    // ---- PCI configuration space

    @Override
    public synchronized int readConfig(int offset, int size) {
        if (offset >= pciCfgCap + 16 && offset < pciCfgCap + 20) {
            return pciCfgAccess(false, 0);
        }
        return config.read(offset, size);
    }

    @Override
    public synchronized void writeConfig(int offset, int size, int value) {
        if (offset >= pciCfgCap + 16 && offset < pciCfgCap + 20) {
            pciCfgAccess(true, value);
            return;
        }
        config.write(offset, size, value);
        if (offset <= msixCap + MSIX_FLAGS + 1 && offset + size > msixCap + MSIX_FLAGS) {
            int control = config.get(msixCap + MSIX_FLAGS, 2);
            msix.control((control & MSIX_FLAGS_ENABLE) != 0, (control & MSIX_FLAGS_MASKALL) != 0);
        }
    }

    /** VIRTIO_PCI_CAP_PCI_CFG: the BAR reached through configuration space (for firmware without MMIO). */
    private int pciCfgAccess(boolean write, int value) {
        int bar = config.get(pciCfgCap + 4, 1);
        long offset = Integer.toUnsignedLong(config.get(pciCfgCap + 8, 4));
        int length = config.get(pciCfgCap + 12, 4);
        if (bar != BAR_INDEX || (length != 1 && length != 2 && length != 4) || offset % length != 0
                || offset + length > BAR_SIZE) {
            return 0;
        }
        if (write) {
            barWrite(offset, length, Integer.toUnsignedLong(value));
            return 0;
        }
        return (int) barRead(offset, length);
    }

    // ---- The BAR

    /** The BAR as the MMIO bus sees it, wherever the guest maps it. */
    public BusDevice bar() {
        return new BusDevice() {
            @Override
            public void read(long offset, MemorySegment data) {
                long v;
                synchronized (VirtioPciFunction.this) {
                    v = barRead(offset, (int) data.byteSize());
                }
                IoData.set(data, v);
            }

            @Override
            public void write(long offset, MemorySegment data) {
                long v = IoData.get(data);
                if (offset >= NOTIFY_OFFSET && offset < NOTIFY_OFFSET + REGION) {
                    notifyWrite(offset - NOTIFY_OFFSET);
                    return;
                }
                synchronized (VirtioPciFunction.this) {
                    barWrite(offset, (int) data.byteSize(), v);
                }
            }
        };
    }

    private void notifyWrite(long offset) {
        if (offset % NOTIFY_MULTIPLIER == 0 && offset / NOTIFY_MULTIPLIER < maxSizes.length) {
            doorbellExits.incrementAndGet();
            doorbell.ring((int) (offset / NOTIFY_MULTIPLIER));
        }
    }

    private long barRead(long offset, int size) {
        if (offset < COMMON_OFFSET + REGION) {
            return size == 8 ? commonRead((int) offset) & 0xffff_ffffL | (commonRead((int) offset + 4) & 0xffff_ffffL) << 32
                    : commonRead((int) offset) & mask(size);
        }
        if (offset == ISR_OFFSET) {
            int v = isr;
            if (v != 0) {
                isr = 0;
                intx.setLevel(false);
            }
            return v;
        }
        if (offset >= DEVICE_OFFSET && offset < DEVICE_OFFSET + REGION) {
            int at = (int) (offset - DEVICE_OFFSET);
            if (size == 8) {
                return deviceConfigRead(at, 4) & 0xffff_ffffL | (deviceConfigRead(at + 4, 4) & 0xffff_ffffL) << 32;
            }
            return deviceConfigRead(at, size) & mask(size);
        }
        if (offset >= MSIX_TABLE_OFFSET && offset < MSIX_TABLE_OFFSET + msix.tableSize()) {
            int at = (int) (offset - MSIX_TABLE_OFFSET);
            if (size == 8) {
                return msix.readTable(at, 4) & 0xffff_ffffL | (msix.readTable(at + 4, 4) & 0xffff_ffffL) << 32;
            }
            return msix.readTable(at, size) & mask(size);
        }
        if (offset >= MSIX_PBA_OFFSET && offset < MSIX_PBA_OFFSET + msix.pbaSize()) {
            return msix.readPba((int) (offset - MSIX_PBA_OFFSET), size);
        }
        return 0;
    }

    private void barWrite(long offset, int size, long value) {
        if (offset < COMMON_OFFSET + REGION) {
            commonWrite((int) offset, (int) value);
            if (size == 8) {
                commonWrite((int) offset + 4, (int) (value >>> 32));
            }
        } else if (offset >= DEVICE_OFFSET && offset < DEVICE_OFFSET + REGION) {
            int at = (int) (offset - DEVICE_OFFSET);
            if (at + Math.min(size, 4) <= device.configSize() && size <= 4) {
                device.writeConfig(at, size, (int) value);
            }
        } else if (offset >= MSIX_TABLE_OFFSET && offset < MSIX_TABLE_OFFSET + msix.tableSize()) {
            msix.writeTable((int) (offset - MSIX_TABLE_OFFSET), size, value);
        } else if (offset >= NOTIFY_OFFSET && offset < NOTIFY_OFFSET + REGION) {
            notifyWrite(offset - NOTIFY_OFFSET);           // through the PCI-access window
        }
    }

    private int deviceConfigRead(int at, int size) {
        return at >= 0 && at + size <= device.configSize() ? device.readConfig(at, size) : 0;
    }

    private static long mask(int size) {
        return size >= 8 ? -1L : (1L << (8 * size)) - 1;
    }

    // ---- Common configuration (virtio 1.2, 4.1.4.3)

    private QueueConfig selected() {
        return queueSelect < queueConfig.length ? queueConfig[queueSelect] : null;
    }

    private int commonRead(int offset) {
        QueueConfig q = selected();
        if (offset == DEVICE_FEATURE_SELECT) {
            return deviceFeatureSelect;
        } else if (offset == DEVICE_FEATURE) {
            return deviceFeatureSelect > 1 ? 0 : (int) (offered >>> (32 * deviceFeatureSelect));
        } else if (offset == GUEST_FEATURE_SELECT) {
            return driverFeatureSelect;
        } else if (offset == GUEST_FEATURE) {
            return driverFeatureSelect > 1 ? 0 : (int) (driverFeatures >>> (32 * driverFeatureSelect));
        } else if (offset == MSIX_CONFIG) {
            return msixConfigVector;
        } else if (offset == NUM_QUEUES) {
            return maxSizes.length;
        } else if (offset == DEVICE_STATUS) {
            return status;
        } else if (offset == CONFIG_GENERATION) {
            return configGeneration & 0xff;
        } else if (offset == QUEUE_SELECT) {
            return queueSelect;
        } else if (q == null) {
            return 0;                                      // no such queue: size 0 tells the driver so
        } else if (offset == QUEUE_SIZE) {
            return q.size;
        } else if (offset == QUEUE_MSIX_VECTOR) {
            return q.vector;
        } else if (offset == QUEUE_ENABLE) {
            return q.enabled ? 1 : 0;
        } else if (offset == QUEUE_NOTIFY_OFF) {
            return queueSelect;
        } else if (offset == QUEUE_DESC_LO) {
            return (int) q.desc;
        } else if (offset == QUEUE_DESC_HI) {
            return (int) (q.desc >>> 32);
        } else if (offset == QUEUE_AVAIL_LO) {
            return (int) q.driver;
        } else if (offset == QUEUE_AVAIL_HI) {
            return (int) (q.driver >>> 32);
        } else if (offset == QUEUE_USED_LO) {
            return (int) q.device;
        } else if (offset == QUEUE_USED_HI) {
            return (int) (q.device >>> 32);
        }
        return 0;
    }

    private void commonWrite(int offset, int value) {
        if (offset == DEVICE_FEATURE_SELECT) {
            deviceFeatureSelect = value;
        } else if (offset == GUEST_FEATURE_SELECT) {
            driverFeatureSelect = value;
        } else if (offset == GUEST_FEATURE) {
            if ((status & DeviceStatus.FEATURES_OK) == 0 && driverFeatureSelect <= 1) {
                int shift = 32 * driverFeatureSelect;
                driverFeatures = driverFeatures & ~(0xffff_ffffL << shift) | (Integer.toUnsignedLong(value) << shift);
            }
        } else if (offset == MSIX_CONFIG) {
            msixConfigVector = vector(value);
        } else if (offset == DEVICE_STATUS) {
            writeStatus(value & 0xff);
        } else if (offset == QUEUE_SELECT) {
            queueSelect = value & 0xffff;
        } else {
            QueueConfig q = selected();
            if (q == null || (status & DeviceStatus.DRIVER_OK) != 0) {
                return;                                    // the queue's setup is fixed once the device runs
            }
            if (offset == QUEUE_SIZE) {
                q.size = value & 0xffff;
            } else if (offset == QUEUE_MSIX_VECTOR) {
                q.vector = vector(value);
            } else if (offset == QUEUE_ENABLE) {
                q.enabled = (value & 0xffff) == 1;
            } else if (offset == QUEUE_DESC_LO) {
                q.desc = low(q.desc, value);
            } else if (offset == QUEUE_DESC_HI) {
                q.desc = high(q.desc, value);
            } else if (offset == QUEUE_AVAIL_LO) {
                q.driver = low(q.driver, value);
            } else if (offset == QUEUE_AVAIL_HI) {
                q.driver = high(q.driver, value);
            } else if (offset == QUEUE_USED_LO) {
                q.device = low(q.device, value);
            } else if (offset == QUEUE_USED_HI) {
                q.device = high(q.device, value);
            }
        }
    }

    /** A vector the table does not have reads back as NO_VECTOR, which tells the driver it failed. */
    private int vector(int value) {
        int v = value & 0xffff;
        return v < msix.vectors() ? v : NO_VECTOR;
    }

    private static long low(long old, int value) {
        return old & 0xffff_ffff_0000_0000L | Integer.toUnsignedLong(value);
    }

    private static long high(long old, int value) {
        return old & 0xffff_ffffL | Integer.toUnsignedLong(value) << 32;
    }

    private void writeStatus(int value) {
        if (value == 0) {
            reset();
            return;
        }
        int old = status;
        if ((value & DeviceStatus.FEATURES_OK) != 0 && (old & DeviceStatus.FEATURES_OK) == 0 && !featuresAcceptable()) {
            value &= ~DeviceStatus.FEATURES_OK;            // the driver reads it back and gives up
        }
        status = value | (old & DeviceStatus.NEEDS_RESET);
        if ((value & DeviceStatus.DRIVER_OK) != 0 && (old & DeviceStatus.DRIVER_OK) == 0) {
            activate();
        }
    }

    /** Only features the device offered, and VERSION_1: this device has no legacy interface. */
    private boolean featuresAcceptable() {
        return (driverFeatures & ~offered) == 0 && VirtioFeatures.has(driverFeatures, VirtioFeatures.VERSION_1);
    }

    private void activate() {
        if ((status & DeviceStatus.FEATURES_OK) == 0) {
            violation("DRIVER_OK without FEATURES_OK");
            return;
        }
        boolean indirect = VirtioFeatures.has(driverFeatures, VirtioFeatures.RING_INDIRECT_DESC);
        boolean eventIdx = VirtioFeatures.has(driverFeatures, VirtioFeatures.RING_EVENT_IDX);
        List<SplitQueue> made = new ArrayList<>();
        try {
            for (int i = 0; i < queueConfig.length; i++) {
                QueueConfig q = queueConfig[i];
                if (!q.enabled) {
                    made.add(null);
                    continue;
                }
                if (q.size > maxSizes[i]) {
                    throw new VirtqueueViolation(device.name() + " queue " + i + ": queue_size " + q.size
                            + " is larger than the device's " + maxSizes[i]);
                }
                made.add(new SplitQueue(device.name() + " queue " + i, memory, q.size, GuestAddress.of(q.desc),
                        GuestAddress.of(q.driver), GuestAddress.of(q.device), indirect, eventIdx));
            }
        } catch (VirtqueueViolation e) {
            violation(e.getMessage());
            return;
        }
        queues = java.util.Collections.unmodifiableList(made);
        device.activate(this);
    }

    private void reset() {
        if (queues != null) {
            device.reset();
        }
        queues = null;
        broken = false;
        status = 0;
        driverFeatures = 0;
        deviceFeatureSelect = 0;
        driverFeatureSelect = 0;
        msixConfigVector = NO_VECTOR;
        queueSelect = 0;
        if (isr != 0) {
            intx.setLevel(false);       // the line is high exactly while the ISR has a bit set
        }
        isr = 0;
        resetQueues();
    }

    private void resetQueues() {
        for (int i = 0; i < maxSizes.length; i++) {
            queueConfig[i] = new QueueConfig(maxSizes[i]);
        }
    }

    // ---- The device's side

    /** Queue {@code index} was notified: on the I/O thread, the device takes what the driver made available. */
    public synchronized void queueNotified(int index) {
        if (queues == null || broken || index < 0 || index >= queues.size() || queues.get(index) == null) {
            return;
        }
        try {
            device.process(index);
        } catch (VirtqueueViolation | GuestMemoryException e) {
            violation(e.getMessage());
        }
    }

    /** The driver broke the rules: the device stops and asks for a reset (DEVICE_NEEDS_RESET). */
    private void violation(String reason) {
        violations++;
        lastViolation = reason;
        broken = true;
        LOG.log(System.Logger.Level.WARNING, (reason.startsWith(device.name()) ? "" : device.name() + ": ") + reason
                + "; the device needs a reset");
        status |= DeviceStatus.NEEDS_RESET;
        if ((status & DeviceStatus.DRIVER_OK) != 0) {
            configInterrupt();
        }
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public synchronized List<SplitQueue> queues() {
        return queues == null ? List.of() : queues;
    }

    @Override
    public synchronized long negotiatedFeatures() {
        return driverFeatures;
    }

    @Override
    public synchronized void usedBuffers(int index) {
        SplitQueue q = queues == null ? null : queues.get(index);
        if (q != null && q.needsInterrupt()) {
            interrupt(queueConfig[index].vector, ISR_QUEUE);
        }
    }

    /** The device's configuration changed (or it needs a reset): a new generation and an interrupt. */
    public synchronized void configInterrupt() {
        configGeneration++;
        interrupt(msixConfigVector, ISR_CONFIG);
    }

    private void interrupt(int vector, int isrBit) {
        if (msix.enabled()) {
            if (vector != NO_VECTOR) {
                msix.fire(vector);
            }
            return;
        }
        isr |= isrBit;
        intx.setLevel(true);
    }

    @Override
    public synchronized void close() {
        msix.closeRoutes();
    }

    @Override
    public String toString() {
        return device.name() + " (virtio-pci " + Integer.toHexString(DEVICE_BASE + device.deviceType()) + ", queues "
                + Arrays.toString(maxSizes) + ")";
    }
}
