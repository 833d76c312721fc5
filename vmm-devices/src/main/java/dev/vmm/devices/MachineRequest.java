package dev.vmm.devices;

/**
 * What the guest asks of the whole machine through a device: power off, reset, or exit with a status
 * (the debug-exit port). Devices hand these to a {@link Sink}; the application decides what each one
 * does to the VM and which process status it means, so devices know nothing of vCPUs or the CLI.
 */
public sealed interface MachineRequest {
    /** ACPI sleep states S5 (and S4, S3, which this VMM treats as power-off). */
    record PowerOff(String how) implements MachineRequest {}

    /** A platform reset (0xCF9, port 0x92, the i8042's reset line). */
    record Reset(String how) implements MachineRequest {}

    /** The value the guest wrote to the debug-exit device. */
    record GuestExit(int status) implements MachineRequest {}

    /** Where a device sends its requests; the first one to stop the VM wins. */
    @FunctionalInterface
    interface Sink {
        void request(MachineRequest request);
    }
}
