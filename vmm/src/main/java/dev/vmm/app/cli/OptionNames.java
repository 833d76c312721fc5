package dev.vmm.app.cli;

import java.util.Map;

/**
 * The command-line option for each config field, so that an error the config names by its JSON path
 * ({@code memory.size}) reads on the command line as the option the user typed ({@code --memory}).
 */
final class OptionNames {
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("payload.firmware", "--firmware"),
            Map.entry("payload.firmware_vars", "--firmware-vars"),
            Map.entry("payload.kernel", "--kernel"),
            Map.entry("payload.initrd", "--initrd"),
            Map.entry("payload.cmdline", "--append"),
            Map.entry("cpus.count", "--cpus"),
            Map.entry("memory.size", "--memory"),
            Map.entry("memory.hugepages", "--hugepages"),
            Map.entry("serial", "--serial"),
            Map.entry("debugcon", "--debugcon"),
            Map.entry("fw_cfg", "--fw-cfg"),
            Map.entry("disks", "--disk"),
            Map.entry("nets", "--net"),
            Map.entry("rng", "--rng"),
            Map.entry("console", "--console"),
            Map.entry("rng.source", "--rng"),
            Map.entry("vsock", "--vsock"),
            Map.entry("vsock.cid", "--vsock"),
            Map.entry("vsock.socket", "--vsock"),
            Map.entry("platform.kvm_device", "--kvm-device"),
            Map.entry("platform.emulation_assist", "--no-emulation-assist"),
            Map.entry("confidential.mode", "--confidential"),
            Map.entry("confidential.policy", "--policy"),
            Map.entry("confidential.psp", "--psp"),
            Map.entry("confidential.cpu_model", "--cpu-model"),
            Map.entry("confidential.guest_features", "--guest-features"),
            Map.entry("confidential.launch_log", "--launch-log"),
            Map.entry("confidential.host_data", "--host-data"),
            Map.entry("confidential.id_block", "--id-block"),
            Map.entry("confidential.id_auth", "--id-auth"),
            Map.entry("confidential.author_key_enabled", "--author-key-enabled"));

    private OptionNames() {}

    /** The option for {@code field}; {@code fw_cfg[2].file} is {@code --fw-cfg}; an unknown field stays as it is. */
    static String of(String field) {
        String option = OPTIONS.get(field);
        if (option != null) {
            return option;
        }
        int index = field.indexOf('[');
        return index > 0 ? OPTIONS.getOrDefault(field.substring(0, index), field) : field;
    }
}
