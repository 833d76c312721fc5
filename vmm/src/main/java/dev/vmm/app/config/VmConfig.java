package dev.vmm.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vmm.sev.SevMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a VM is built from, as plain data: the schema of the JSON config and of the API (field
 * names in snake_case). {@link #validate()} checks what can be checked without the host, and its
 * errors name the field by its path ({@link ConfigException}).
 */
public record VmConfig(PayloadConfig payload, CpusConfig cpus, MemoryConfig memory, CharDevice serial,
                       CharDevice debugcon, @JsonProperty("fw_cfg") List<FwCfgEntry> fwCfg, List<DiskConfig> disks,
                       List<NetConfig> nets, RngConfig rng, CharDevice console, VsockConfig vsock, PlatformConfig platform,
                       ConfidentialConfig confidential) {
    /** Lists left out (of a JSON document, say) are empty. */
    public VmConfig {
        fwCfg = fwCfg == null ? List.of() : List.copyOf(fwCfg);
        disks = disks == null ? List.of() : List.copyOf(disks);
        nets = nets == null ? List.of() : List.copyOf(nets);
    }

    /** The embedded test guest, one vCPU, 128 MiB, COM1 on stdio: what {@code vmm run} boots without options. */
    public static VmConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public VmConfig validate() {
        if (payload == null || cpus == null || memory == null || serial == null || debugcon == null || platform == null) {
            throw new ConfigException(payload == null ? "payload" : cpus == null ? "cpus" : memory == null ? "memory"
                    : serial == null ? "serial" : debugcon == null ? "debugcon" : "platform", "is required");
        }
        payload.validate(confidential != null);
        cpus.validate();
        memory.validate();
        for (int i = 0; i < fwCfg.size(); i++) {
            fwCfg.get(i).validate("fw_cfg[" + i + "]");
        }
        for (int i = 0; i < disks.size(); i++) {
            disks.get(i).validate("disks[" + i + "]");
        }
        if (rng != null) {
            rng.validate("rng");
        }
        for (int i = 0; i < nets.size(); i++) {
            nets.get(i).validate("nets[" + i + "]");
        }
        if (vsock != null) {
            vsock.validate("vsock");
        }
        if (confidential != null) {
            confidential.validate();
            if (payload.firmwareVars() != null) {
                throw new ConfigException("payload.firmware_vars", "does not go with {confidential.mode}: confidential "
                        + "VMs have no read-only memory for flash; use a unified image (OVMF.fd) as {payload.firmware}");
            }
            if (memory.hugepages() && confidential.mode() == SevMode.SEV_SNP) {
                throw new ConfigException("memory.hugepages", "does not go with sev-snp: guest_memfd memory is not "
                        + "hugetlbfs");
            }
        }
        return this;
    }

    /** Builds a config field by field from the defaults; {@code build()} does not validate. */
    public static final class Builder {
        private PayloadConfig payload = PayloadConfig.TEST_GUEST;
        private int cpus = 1;
        private long memory = MemoryConfig.DEFAULT_SIZE;
        private boolean hugepages;
        private CharDevice serial = new CharDevice.Stdio();
        private CharDevice debugcon = new CharDevice.None();
        private List<FwCfgEntry> fwCfg = new ArrayList<>();
        private List<DiskConfig> disks = new ArrayList<>();
        private List<NetConfig> nets = new ArrayList<>();
        private RngConfig rng;
        private CharDevice console;
        private VsockConfig vsock;
        private Path kvmDevice = PlatformConfig.DEFAULT_KVM_DEVICE;
        private boolean emulationAssist = true;
        private ConfidentialConfig confidential;

        private Builder() {}

        /** From {@code c}; what it leaves out (a JSON document may) keeps the defaults. */
        private Builder(VmConfig c) {
            if (c.payload != null) {
                payload = c.payload;
            }
            if (c.cpus != null) {
                cpus = c.cpus.count();
            }
            if (c.memory != null) {
                memory = c.memory.size();
                hugepages = c.memory.hugepages();
            }
            if (c.serial != null) {
                serial = c.serial;
            }
            if (c.debugcon != null) {
                debugcon = c.debugcon;
            }
            fwCfg = new ArrayList<>(c.fwCfg);
            disks = new ArrayList<>(c.disks);
            nets = new ArrayList<>(c.nets);
            rng = c.rng;
            console = c.console;
            vsock = c.vsock;
            if (c.platform != null) {
                kvmDevice = c.platform.kvmDevice();
                emulationAssist = c.platform.emulationAssist();
            }
            confidential = c.confidential;
        }

        public Builder payload(PayloadConfig p) {
            payload = p;
            return this;
        }

        /** Firmware only, or null for the embedded test guest; keeps a kernel already given. */
        public Builder firmware(Path file) {
            payload = new PayloadConfig(file, payload.firmwareVars(), payload.kernel(), payload.initrd(), payload.cmdline());
            return this;
        }

        public Builder firmwareVars(Path file) {
            payload = new PayloadConfig(payload.firmware(), file, payload.kernel(), payload.initrd(), payload.cmdline());
            return this;
        }

        public Builder kernel(Path kernel, Path initrd, String cmdline) {
            payload = new PayloadConfig(payload.firmware(), payload.firmwareVars(), kernel, initrd, cmdline);
            return this;
        }

        public Builder cpus(int n) {
            cpus = n;
            return this;
        }

        public Builder memory(long bytes) {
            memory = bytes;
            return this;
        }

        public Builder hugepages(boolean on) {
            hugepages = on;
            return this;
        }

        public Builder serial(CharDevice d) {
            serial = d;
            return this;
        }

        public Builder debugcon(CharDevice d) {
            debugcon = d;
            return this;
        }

        public Builder fwCfg(List<FwCfgEntry> entries) {
            fwCfg = new ArrayList<>(entries);
            return this;
        }

        public Builder addFwCfg(FwCfgEntry e) {
            fwCfg.add(e);
            return this;
        }

        public Builder addDisk(DiskConfig d) {
            disks.add(d);
            return this;
        }

        public Builder addNet(NetConfig n) {
            nets.add(n);
            return this;
        }

        public Builder disks(List<DiskConfig> d) {
            disks = new ArrayList<>(d);
            return this;
        }

        public Builder nets(List<NetConfig> n) {
            nets = new ArrayList<>(n);
            return this;
        }

        /** virtio-rng, or null for none. */
        public Builder rng(RngConfig r) {
            rng = r;
            return this;
        }

        /** virtio-console (hvc0), or null for none. */
        public Builder console(CharDevice c) {
            console = c;
            return this;
        }

        /** virtio-vsock, or null for none. */
        public Builder vsock(VsockConfig v) {
            vsock = v;
            return this;
        }

        public Builder kvmDevice(Path device) {
            kvmDevice = device;
            return this;
        }

        public Builder emulationAssist(boolean on) {
            emulationAssist = on;
            return this;
        }

        public Builder confidential(ConfidentialConfig c) {
            confidential = c;
            return this;
        }

        public VmConfig build() {
            return new VmConfig(payload, new CpusConfig(cpus), new MemoryConfig(memory, hugepages), serial, debugcon, fwCfg,
                    disks, nets, rng, console, vsock, new PlatformConfig(kvmDevice, emulationAssist), confidential);
        }
    }
}
