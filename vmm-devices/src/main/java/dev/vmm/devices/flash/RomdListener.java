package dev.vmm.devices.flash;

/**
 * Told when a flash device enters or leaves read-array mode ("romd" in QEMU's terms). In array mode
 * the owner may map the flash contents into the guest as a read-only memory slot, so that reads
 * never exit; in any other mode reads must reach the device (status, identifier and query data), so
 * the owner must unmap that slot before the guest's next read.
 *
 * <p>Called with the device's lock held, in the order the modes change, on the vCPU thread whose
 * write changed the mode: the call must finish the mapping change before it returns and must not
 * call back into the device.
 */
@FunctionalInterface
public interface RomdListener {
    RomdListener NONE = arrayMode -> { };

    void romd(boolean arrayMode);
}
