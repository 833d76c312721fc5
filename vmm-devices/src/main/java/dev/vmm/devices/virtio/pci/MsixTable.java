package dev.vmm.devices.virtio.pci;

import static dev.vmm.devices.virtio.pci.VirtioPciLayouts.MSIX_ENTRY_CTRL_MASKBIT;
import static dev.vmm.devices.virtio.pci.VirtioPciLayouts.MSIX_ENTRY_DATA;
import static dev.vmm.devices.virtio.pci.VirtioPciLayouts.MSIX_ENTRY_SIZE;
import static dev.vmm.devices.virtio.pci.VirtioPciLayouts.MSIX_ENTRY_VECTOR_CTRL;

/**
 * An MSI-X table and its pending-bit array (PCI Local Bus 3.0, 6.8.2): per vector the message address,
 * data and mask bit, as the guest programs them through the BAR. A vector fires through its
 * {@link MsiRouter.Route}, wired the first time it fires after the guest changed its message; a masked
 * vector (or a masked function) sets its pending bit instead, and fires when unmasked. Entries start
 * masked, as the spec requires. The caller serialises access.
 */
final class MsixTable {
    private final String owner;
    private final MsiRouter router;
    private final int[] words;
    private final long[] pending;
    private final MsiRouter.Route[] routes;
    private boolean enabled;
    private boolean functionMasked;
    private long delivered;

    MsixTable(String owner, MsiRouter router, int vectors) {
        this.owner = owner;
        this.router = router;
        this.words = new int[vectors * MSIX_ENTRY_SIZE / 4];
        this.pending = new long[(vectors + 63) / 64];
        this.routes = new MsiRouter.Route[vectors];
        for (int v = 0; v < vectors; v++) {
            words[v * 4 + MSIX_ENTRY_VECTOR_CTRL / 4] = MSIX_ENTRY_CTRL_MASKBIT;
        }
    }

    int vectors() {
        return routes.length;
    }

    /** Bytes of the table and of the PBA (whole quadwords). */
    int tableSize() {
        return words.length * 4;
    }

    int pbaSize() {
        return pending.length * 8;
    }

    boolean enabled() {
        return enabled;
    }

    long delivered() {
        return delivered;
    }

    /** The capability's message-control enable and function-mask bits changed. */
    void control(boolean enable, boolean maskAll) {
        enabled = enable;
        functionMasked = maskAll;
        flushPending();
    }

    /** A guest read of the table: dword (or narrower) accesses; anything else reads zero. */
    int readTable(int offset, int size) {
        if (offset < 0 || offset + size > tableSize()) {
            return 0;
        }
        int word = words[offset / 4];
        return size == 4 ? word : word >>> (8 * (offset % 4)) & (int) ((1L << (8 * size)) - 1);
    }

    void writeTable(int offset, int size, long value) {
        if (offset < 0 || offset + size > tableSize() || offset % size != 0) {
            return;
        }
        if (size == 8) {
            writeTable(offset, 4, value & 0xffff_ffffL);
            writeTable(offset + 4, 4, value >>> 32);
            return;
        }
        int index = offset / 4;
        int shift = 8 * (offset % 4);
        int mask = size == 4 ? -1 : (int) ((1L << (8 * size)) - 1) << shift;
        int before = words[index];
        words[index] = before & ~mask | ((int) value << shift) & mask;
        int vector = offset / MSIX_ENTRY_SIZE;
        if (offset % MSIX_ENTRY_SIZE < MSIX_ENTRY_VECTOR_CTRL && words[index] != before) {
            unroute(vector);        // address or data changed: wire the new message when it next fires
        }
        if (offset % MSIX_ENTRY_SIZE == MSIX_ENTRY_VECTOR_CTRL) {
            flushPending();
        }
    }

    long readPba(int offset, int size) {
        if (offset < 0 || offset + size > pbaSize()) {
            return 0;
        }
        long q = pending[offset / 8];
        return size == 8 ? q : q >>> (8 * (offset % 8)) & ((1L << (8 * size)) - 1);
    }

    /** Fires {@code vector}, or marks it pending while masked; an out-of-range vector goes nowhere. */
    void fire(int vector) {
        if (vector < 0 || vector >= routes.length) {
            return;
        }
        if (functionMasked || masked(vector)) {
            pending[vector / 64] |= 1L << (vector % 64);
            return;
        }
        deliver(vector);
    }

    private boolean masked(int vector) {
        return (words[vector * 4 + MSIX_ENTRY_VECTOR_CTRL / 4] & MSIX_ENTRY_CTRL_MASKBIT) != 0;
    }

    private void deliver(int vector) {
        if (routes[vector] == null) {
            long address = Integer.toUnsignedLong(words[vector * 4]) | Integer.toUnsignedLong(words[vector * 4 + 1]) << 32;
            routes[vector] = router.route(owner + " vector " + vector, address, words[vector * 4 + MSIX_ENTRY_DATA / 4]);
        }
        routes[vector].trigger();
        delivered++;
    }

    private void flushPending() {
        if (!enabled || functionMasked) {
            return;
        }
        for (int v = 0; v < routes.length; v++) {
            if ((pending[v / 64] & 1L << (v % 64)) != 0 && !masked(v)) {
                pending[v / 64] &= ~(1L << (v % 64));
                deliver(v);
            }
        }
    }

    private void unroute(int vector) {
        if (routes[vector] != null) {
            routes[vector].close();
            routes[vector] = null;
        }
    }

    /** Closes every wired route (the device is reset or goes away). */
    void closeRoutes() {
        for (int v = 0; v < routes.length; v++) {
            unroute(v);
        }
    }
}
