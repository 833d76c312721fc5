package dev.vmm.devices.pci;

/**
 * Told when a function's decoded range appears, moves or disappears: the guest reprogrammed a BAR (or a
 * chipset base register such as PIIX4's PMBA) or toggled decoding. The bus or the device manager keeps
 * its mappings in step (Cloud Hypervisor's DeviceRelocation); the device never sees how, and never KVM.
 *
 * <p>Called on the vCPU thread that wrote the configuration space, with the function's lock held, so
 * calls for one function come in order; an implementation must not call back into the function.
 */
@FunctionalInterface
public interface BarRelocation {
    /** @param from the old window, null if it was not decoded; @param to the new one, null if it is not */
    void relocate(BarWindow from, BarWindow to);
}
